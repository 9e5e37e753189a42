// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.id;
import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.node.ClientAuditRecordedEvent;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;

/**
 * A node's own events: registered, logged in again, renamed, retagged, moved, routed, deleted, and
 * what its client reported.
 */
final class NodeDescriptions {
  private NodeDescriptions() {}

  static void register(Descriptions d) {
    d.on(NodeRegisteredEvent.class, NodeDescriptions::nodeRegistered);
    d.on(NodeReauthenticatedEvent.class, NodeDescriptions::nodeReauthenticated);
    d.on(NodeKeyRotatedEvent.class, NodeDescriptions::nodeKeyRotated);
    d.on(NodeHostnameChangedEvent.class, NodeDescriptions::nodeHostnameChanged);
    d.on(NodeRenamedEvent.class, NodeDescriptions::nodeRenamed);
    d.on(NodeExpiryChangedEvent.class, NodeDescriptions::nodeExpiryChanged);
    d.on(NodeOwnershipTransferredEvent.class, NodeDescriptions::nodeOwnershipTransferred);
    d.on(NodeTagsChangedEvent.class, NodeDescriptions::nodeTagsChanged);
    d.on(NodeRoutesApprovedEvent.class, NodeDescriptions::nodeRoutesApproved);
    d.on(NodeRoutesAdvertisedEvent.class, NodeDescriptions::nodeRoutesAdvertised);
    d.on(ClientAuditRecordedEvent.class, NodeDescriptions::clientAuditRecorded);
    d.on(NodeDeletedEvent.class, NodeDescriptions::nodeDeleted);
  }

  private static AuditDescription nodeRegistered(NodeRegisteredEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        none(),
        of(
            "hostname",
            e.hostname(),
            "givenName",
            e.givenName(),
            "userId",
            e.userId(),
            "tags",
            e.tags(),
            "ipv4",
            e.ipv4(),
            "ipv6",
            e.ipv6(),
            "registerMethod",
            e.registerMethod(),
            "preAuthKeyId",
            e.preAuthKeyId(),
            "ephemeral",
            e.ephemeral(),
            "expiry",
            e.expiry(),
            "machineKey",
            e.machineKey()),
        "registered node " + e.givenName() + " (" + e.ipv4() + ") by " + e.registerMethod());
  }

  private static AuditDescription nodeReauthenticated(NodeReauthenticatedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("nodeKey", e.oldNodeKey()),
        of(
            "nodeKey",
            e.newNodeKey(),
            "registerMethod",
            e.registerMethod(),
            "preAuthKeyId",
            e.preAuthKeyId(),
            "expiry",
            e.expiry()),
        "node " + e.nodeId() + " logged in again by " + e.registerMethod());
  }

  private static AuditDescription nodeKeyRotated(NodeKeyRotatedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("nodeKey", e.oldNodeKey()),
        of("nodeKey", e.newNodeKey(), "preAuthKeyId", e.preAuthKeyId(), "expiry", e.expiry()),
        "node " + e.nodeId() + " rotated its node key");
  }

  private static AuditDescription nodeHostnameChanged(NodeHostnameChangedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("hostname", e.oldHostname()),
        of("hostname", e.newHostname()),
        "node " + e.nodeId() + " reported its hostname as " + e.newHostname());
  }

  private static AuditDescription nodeRenamed(NodeRenamedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("givenName", e.oldName()),
        of("givenName", e.newName()),
        "renamed node " + e.oldName() + " to " + e.newName());
  }

  private static AuditDescription nodeExpiryChanged(NodeExpiryChangedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("expiry", e.oldExpiry()),
        of("expiry", e.newExpiry()),
        e.newExpiry() == null
            ? "disabled expiry of node " + e.nodeId()
            : "set expiry of node " + e.nodeId() + " to " + e.newExpiry());
  }

  private static AuditDescription nodeOwnershipTransferred(NodeOwnershipTransferredEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("userId", e.fromUserId(), "removedTags", e.removedTags()),
        of("userId", e.toUserId()),
        "moved node "
            + e.nodeId()
            + " from user "
            + e.fromUserId()
            + " to user "
            + e.toUserId()
            + (e.reason() == null || e.reason().isEmpty() ? "" : ": " + e.reason()));
  }

  private static AuditDescription nodeTagsChanged(NodeTagsChangedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("tags", e.oldTags(), "userId", e.oldUserId()),
        of("tags", e.newTags()),
        "set tags of node " + e.nodeId() + " to " + e.newTags());
  }

  private static AuditDescription nodeRoutesApproved(NodeRoutesApprovedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("approvedRoutes", e.oldRoutes()),
        e.reason() == null
            ? of("approvedRoutes", e.newRoutes())
            : of("approvedRoutes", e.newRoutes(), "reason", e.reason()),
        "approved routes "
            + e.newRoutes()
            + " for node "
            + e.nodeId()
            + (e.reason() == null ? "" : " (" + e.reason() + ")"));
  }

  private static AuditDescription nodeRoutesAdvertised(NodeRoutesAdvertisedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("advertisedRoutes", e.oldRoutes()),
        of("advertisedRoutes", e.newRoutes()),
        "node " + e.nodeId() + " advertises routes " + e.newRoutes());
  }

  private static AuditDescription clientAuditRecorded(ClientAuditRecordedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        none(),
        of("action", e.action(), "details", e.details(), "clientTime", e.clientTime()),
        ("DISCONNECT_NODE".equals(e.action())
                ? "node " + e.nodeId() + " reported it was disconnected"
                : "node " + e.nodeId() + " reported " + e.action())
            + ": "
            + e.details());
  }

  private static AuditDescription nodeDeleted(NodeDeletedEvent e) {
    return new AuditDescription(
        "node",
        id(e.nodeId()),
        of("givenName", e.givenName(), "addresses", e.releasedAddresses()),
        none(),
        "deleted node " + e.givenName());
  }
}
