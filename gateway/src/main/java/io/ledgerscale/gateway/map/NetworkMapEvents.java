// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

/**
 * Admin changes that alter what some node sees. Runs in a streaming processor of this instance alone (group
 * {@value #GROUP}, ADR 0003): it reads the shared event store from the head, so a change committed by any instance
 * reaches the streams held here, and its token lives in memory: the streams are live state of this instance, there
 * is nothing to replay, and a change made while a stream was closed is in the complete map the client gets when it
 * reconnects.
 */
@ProcessingGroup(NetworkMapEvents.GROUP)
public class NetworkMapEvents {
  public static final String GROUP = "network-map";
  /** Events handled per unit of work; a burst (a policy change with its route approvals) is taken in one go. */
  public static final int BATCH_SIZE = 16;

  private final NetworkMap map;
  private final ConnectivityStore connectivity;

  public NetworkMapEvents(NetworkMap map, ConnectivityStore connectivity) {
    this.map = map;
    this.connectivity = connectivity;
  }

  @EventHandler
  public void on(NodeRegisteredEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeReauthenticatedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeTagsChangedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeOwnershipTransferredEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeRenamedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeExpiryChangedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeRoutesApprovedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(NodeDeletedEvent e, @Timestamp Instant at) {
    connectivity.forget(e.nodeId());
    map.changed(at);
  }

  @EventHandler
  public void on(UserRenamedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(UserDeletedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }

  @EventHandler
  public void on(PolicyChangedEvent e, @Timestamp Instant at) {
    map.changed(at);
  }
}
