// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.query.FindNodeByNodeKeyQuery;
import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.VerifyNodeKeyQuery;
import io.ledgerscale.projections.node.NodeProjection;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * Decides which node a node key authenticates from that node's own events. The nodes read model
 * only suggests the node (an indexed lookup by key); whether it still exists, still holds that key,
 * on which machine and until when, come from its stream ({@code node-<id>}), so a deletion, key
 * rotation or expiry is in force as soon as its command is acknowledged. A key the read model does
 * not place on a live node is unknown only once the read model has processed every event that gives
 * a node a key; until then the answer is "cannot tell", which the caller refuses with a retry.
 */
@Component
public class NodeKeyVerification {
  static final String PROCESSOR = NodeProjection.class.getAnnotation(ProcessingGroup.class).value();

  /** The events that give a node its current key. */
  static final List<Class<?>> KEY_EVENTS =
      List.of(NodeRegisteredEvent.class, NodeKeyRotatedEvent.class, NodeReauthenticatedEvent.class);

  private final NodeProjection nodes;
  private final AggregateHistory history;
  private final ReadModelCatchUp catchUp;

  public NodeKeyVerification(
      NodeProjection nodes, AggregateHistory history, ReadModelCatchUp catchUp) {
    this.nodes = nodes;
    this.history = history;
    this.catchUp = catchUp;
  }

  @QueryHandler
  public NodeKeyVerdict handle(VerifyNodeKeyQuery query) {
    if (query.nodeKey() == null) {
      return NodeKeyVerdict.unknown();
    }
    NodeView found = verified(query.nodeKey());
    if (found != null) {
      return NodeKeyVerdict.of(found);
    }
    if (!query.unknownNeedsProof()) {
      return NodeKeyVerdict.unknown();
    }
    if (!catchUp.await(PROCESSOR, KEY_EVENTS)) {
      return NodeKeyVerdict.cannotTell();
    }
    found = verified(query.nodeKey());
    return found == null ? NodeKeyVerdict.unknown() : NodeKeyVerdict.of(found);
  }

  /** The read model's node for the key, corrected by its own events; null if none holds it. */
  private NodeView verified(String nodeKey) {
    NodeView suggested = nodes.handle(new FindNodeByNodeKeyQuery(nodeKey));
    if (suggested == null) {
      return null;
    }
    Keys keys = fold(history.of(AggregateIds.node(suggested.id())));
    if (keys == null || keys.deleted() || !nodeKey.equalsIgnoreCase(keys.nodeKey())) {
      return null;
    }
    NodeView v = suggested;
    return new NodeView(
        v.id(),
        keys.machineKey(),
        keys.nodeKey(),
        v.discoKey(),
        v.ipAddresses(),
        v.hostname(),
        v.givenName(),
        v.userId(),
        v.userName(),
        v.tags(),
        v.lastSeen(),
        keys.expiry(),
        v.preAuthKeyId(),
        v.createdAt(),
        v.registerMethod(),
        v.online(),
        v.ephemeral(),
        v.approvedRoutes(),
        v.availableRoutes());
  }

  /** What a node's key state is after its events, as the Node aggregate rebuilds it. */
  record Keys(String machineKey, String nodeKey, Instant expiry, boolean deleted) {}

  static Keys fold(List<DomainEventMessage<?>> events) {
    Keys k = null;
    for (DomainEventMessage<?> message : events) {
      Object e = message.getPayload();
      if (e instanceof NodeRegisteredEvent r) {
        k = new Keys(r.machineKey(), r.nodeKey(), r.expiry(), false);
      } else if (k == null) {
        continue;
      } else if (e instanceof NodeReauthenticatedEvent r) {
        k = new Keys(k.machineKey(), r.newNodeKey(), r.expiry(), k.deleted());
      } else if (e instanceof NodeKeyRotatedEvent r) {
        k = new Keys(k.machineKey(), r.newNodeKey(), r.expiry(), k.deleted());
      } else if (e instanceof NodeExpiryChangedEvent x) {
        k = new Keys(k.machineKey(), k.nodeKey(), x.newExpiry(), k.deleted());
      } else if (e instanceof NodeDeletedEvent) {
        k = new Keys(k.machineKey(), k.nodeKey(), k.expiry(), true);
      }
    }
    return k;
  }
}
