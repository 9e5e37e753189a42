// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin changes that alter what some node sees. Runs in a streaming processor of this instance
 * alone (group {@value #GROUP}, ADR 0003): it reads the shared event store from the head, so a
 * change committed by any instance reaches the streams held here, and its token lives in memory:
 * the streams are live state of this instance, there is nothing to replay, and a change made while
 * a stream was closed is in the complete map the client gets when it reconnects.
 *
 * <p>Each handler first waits until the read models the map reads have processed the event (they
 * run in their own processors, possibly on another instance), then tells the map exactly what
 * changed: one node, a deleted node, the users, or everything.
 */
@ProcessingGroup(NetworkMapEvents.GROUP)
public class NetworkMapEvents {
  private static final Logger log = LoggerFactory.getLogger(NetworkMapEvents.class);
  public static final String GROUP = "network-map";

  /**
   * Events handled per unit of work; a burst (a policy change with its route approvals) is taken in
   * one go.
   */
  public static final int BATCH_SIZE = 16;

  private final NetworkMap map;
  private final ConnectivityStore connectivity;
  private final ReadSide readSide;

  public NetworkMapEvents(NetworkMap map, ConnectivityStore connectivity, ReadSide readSide) {
    this.map = map;
    this.connectivity = connectivity;
    this.readSide = readSide;
  }

  @EventHandler
  public void on(NodeRegisteredEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeReauthenticatedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  /**
   * Peers must learn the new key at once, or they drop the node's WireGuard and disco traffic as
   * unknown.
   */
  @EventHandler
  public void on(NodeKeyRotatedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeTagsChangedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeOwnershipTransferredEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeHostnameChangedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeRenamedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeExpiryChangedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeRoutesApprovedEvent e, TrackingToken token, @Timestamp Instant at) {
    nodeChanged(e, e.nodeId(), token, at);
  }

  @EventHandler
  public void on(NodeDeletedEvent e, TrackingToken token, @Timestamp Instant at) {
    connectivity.forget(e.nodeId());
    map.endStreamsOf(e.nodeId());
    readSide.awaitProcessed(token, e.getClass());
    map.nodeDeleted(e.nodeId(), at);
  }

  @EventHandler
  public void on(UserRenamedEvent e, TrackingToken token, @Timestamp Instant at) {
    readSide.awaitProcessed(token, e.getClass());
    map.usersChanged(at);
  }

  @EventHandler
  public void on(UserDeletedEvent e, TrackingToken token, @Timestamp Instant at) {
    readSide.awaitProcessed(token, e.getClass());
    map.usersChanged(at);
  }

  @EventHandler
  public void on(PolicyChangedEvent e, TrackingToken token, @Timestamp Instant at) {
    everythingChanged(e, token, at);
  }

  private void nodeChanged(Object event, long nodeId, TrackingToken token, Instant at) {
    if (log.isDebugEnabled()) {
      log.debug(
          "{} for node {} reached the map {} ms after it was raised",
          event.getClass().getSimpleName(),
          nodeId,
          Duration.between(at, Instant.now()).toMillis());
    }
    readSide.awaitProcessed(token, event.getClass());
    map.nodeChanged(nodeId, at);
  }

  private void everythingChanged(Object event, TrackingToken token, Instant at) {
    readSide.awaitProcessed(token, event.getClass());
    map.changed(at);
  }
}
