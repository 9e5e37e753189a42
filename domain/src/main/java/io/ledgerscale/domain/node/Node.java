// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.ApproveNodeRoutesCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.support.Refusals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** A machine in the tailnet. A tagged node has no user (userId null): it belongs to tagged-devices. */
public class Node {

  @AggregateIdentifier private String id;
  private long nodeId;
  private String machineKey;
  private String nodeKey;
  private String givenName;
  private Long userId;
  private List<String> tags;
  private String ipv4;
  private String ipv6;
  private Instant expiry;
  private List<String> approvedRoutes;
  private boolean deleted;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected Node() {}

  Node(NodeRegisteredEvent registered) {
    apply(registered);
  }

  @CommandHandler
  public void handle(ExpireNodeCommand command, Clock clock) {
    requireNotDeleted(command);
    if (command.disableExpiry() && command.expiry() != null) {
      throw refuse(command, RefusalKind.INVALID, "give an expiry or disable expiry, not both");
    }
    Instant newExpiry = command.disableExpiry() ? null
        : command.expiry() != null ? command.expiry() : clock.instant();
    apply(new NodeExpiryChangedEvent(nodeId, expiry, newExpiry));
  }

  @CommandHandler
  public void handle(ApproveNodeRoutesCommand command) {
    requireNotDeleted(command);
    List<String> routes;
    try {
      routes = Routes.normalize(command.routes());
    } catch (Routes.InvalidRoute e) {
      throw refuse(command, RefusalKind.INVALID, e.getMessage());
    }
    apply(new NodeRoutesApprovedEvent(nodeId, approvedRoutes, routes));
  }

  /** The same machine logged in again for the same owner: new node key, no new node. */
  void reauthenticate(String newNodeKey, RegisterMethod method, Long preAuthKeyId, Instant newExpiry) {
    apply(new NodeReauthenticatedEvent(nodeId, machineKey, nodeKey, newNodeKey, method, preAuthKeyId, newExpiry));
  }

  void rename(String newName) {
    apply(new NodeRenamedEvent(nodeId, givenName, newName));
  }

  /** False when the node already is tagged with exactly these tags. */
  boolean setTags(List<String> newTags) {
    if (userId == null && tags.equals(newTags)) {
      return false;
    }
    apply(new NodeTagsChangedEvent(nodeId, tags, newTags, userId));
    return true;
  }

  /** False when the node already belongs to that user untagged. */
  boolean transfer(long toUserId, String reason) {
    if (Objects.equals(userId, toUserId) && tags.isEmpty()) {
      return false;
    }
    apply(new NodeOwnershipTransferredEvent(nodeId, userId, toUserId, tags, reason == null ? "" : reason));
    return true;
  }

  void delete() {
    apply(new NodeDeletedEvent(nodeId, givenName, List.of(ipv4, ipv6)));
  }

  /** Records a refusal on this node's stream. */
  RuntimeException refuse(Object command, RefusalKind kind, String reason) {
    return Refusals.refuse(command, "Node", nodeId, kind, reason);
  }

  long nodeId() {
    return nodeId;
  }

  String machineKey() {
    return machineKey;
  }

  Long userId() {
    return userId;
  }

  List<String> tags() {
    return tags;
  }

  String givenName() {
    return givenName;
  }

  String ipv4() {
    return ipv4;
  }

  String ipv6() {
    return ipv6;
  }

  private void requireNotDeleted(Object command) {
    if (deleted) {
      throw refuse(command, RefusalKind.NOT_FOUND, "node " + nodeId + " was deleted");
    }
  }

  @EventSourcingHandler
  void on(NodeRegisteredEvent event) {
    id = AggregateIds.node(event.nodeId());
    nodeId = event.nodeId();
    machineKey = event.machineKey();
    nodeKey = event.nodeKey();
    givenName = event.givenName();
    userId = event.userId();
    tags = event.tags() == null ? List.of() : List.copyOf(event.tags());
    ipv4 = event.ipv4();
    ipv6 = event.ipv6();
    expiry = event.expiry();
    approvedRoutes = List.of();
  }

  @EventSourcingHandler
  void on(NodeReauthenticatedEvent event) {
    nodeKey = event.newNodeKey();
    expiry = event.expiry();
  }

  @EventSourcingHandler
  void on(NodeRenamedEvent event) {
    givenName = event.newName();
  }

  @EventSourcingHandler
  void on(NodeTagsChangedEvent event) {
    tags = List.copyOf(event.newTags());
    userId = null;
  }

  @EventSourcingHandler
  void on(NodeOwnershipTransferredEvent event) {
    userId = event.toUserId();
    tags = List.of();
  }

  @EventSourcingHandler
  void on(NodeExpiryChangedEvent event) {
    expiry = event.newExpiry();
  }

  @EventSourcingHandler
  void on(NodeRoutesApprovedEvent event) {
    approvedRoutes = new ArrayList<>(event.newRoutes());
  }

  @EventSourcingHandler
  void on(NodeDeletedEvent event) {
    deleted = true;
  }
}
