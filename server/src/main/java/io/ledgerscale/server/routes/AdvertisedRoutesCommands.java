// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.routes;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.AdvertiseNodeRoutesCommand;
import io.ledgerscale.gateway.map.RoutesAdvertiser;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A node's Hostinfo.RoutableIPs changed: the node itself advertises them, so the node aggregate can
 * auto-approve what the policy's autoApprovers allow. The map does not wait for the outcome.
 */
@Component
class AdvertisedRoutesCommands implements RoutesAdvertiser {
  private static final Logger log = LoggerFactory.getLogger(AdvertisedRoutesCommands.class);
  private final CommandGateway commands;

  AdvertisedRoutesCommands(CommandGateway commands) {
    this.commands = commands;
  }

  @Override
  public void advertised(long nodeId, List<String> routes) {
    String id = String.valueOf(nodeId);
    commands
        .send(
            new AdvertiseNodeRoutesCommand(nodeId, List.copyOf(routes)),
            AuditMetadata.of(new Actor(ActorType.NODE, id, "node " + id), Origin.NODE, "", null))
        .exceptionally(
            e -> {
              log.warn(
                  "node {} advertised routes {} that were not recorded: {}",
                  nodeId,
                  routes,
                  e.getMessage());
              return null;
            });
  }
}
