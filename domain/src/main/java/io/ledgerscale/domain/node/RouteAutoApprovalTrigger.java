// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.AutoApproveAllNodeRoutesCommand;
import io.ledgerscale.domain.api.node.AutoApproveNodeRoutesCommand;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.MetaData;

/**
 * Asks for auto-approval whenever what it depends on changed: a node's advertised routes, its tags
 * or owner, or the policy. The approval is a separate command so its event is the server's (actor
 * SYSTEM, origin SYSTEM), not the node's or the admin's. A replay re-reads history and must not
 * approve again, hence {@link DisallowReplay}.
 */
@ProcessingGroup(RouteAutoApprovalTrigger.PROCESSING_GROUP)
@DisallowReplay
public class RouteAutoApprovalTrigger {
  public static final String PROCESSING_GROUP = "route-auto-approval";
  private final CommandGateway commands;

  public RouteAutoApprovalTrigger(CommandGateway commands) {
    this.commands = commands;
  }

  @EventHandler
  void on(NodeRoutesAdvertisedEvent event) {
    forNode(event.nodeId());
  }

  @EventHandler
  void on(NodeTagsChangedEvent event) {
    forNode(event.nodeId());
  }

  @EventHandler
  void on(NodeOwnershipTransferredEvent event) {
    forNode(event.nodeId());
  }

  @EventHandler
  void on(PolicyChangedEvent event) {
    commands.sendAndWait(new AutoApproveAllNodeRoutesCommand(), system());
  }

  private void forNode(long nodeId) {
    commands.sendAndWait(new AutoApproveNodeRoutesCommand(nodeId), system());
  }

  private static MetaData system() {
    return AuditMetadata.system(Origin.SYSTEM, NodeRoutesApprovedEvent.AUTO_APPROVERS);
  }
}
