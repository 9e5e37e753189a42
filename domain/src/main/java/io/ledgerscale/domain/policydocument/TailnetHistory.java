// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policydocument;

import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Folds recorded events, oldest first, into the tailnet and the policy as they stood after the last
 * one: what the policy engine needs to answer "what could this node reach at time T". Events it
 * does not know are skipped, so it can be fed the whole store.
 */
public final class TailnetHistory {
  private final Map<Long, TailnetUser> users = new LinkedHashMap<>();
  private final Map<Long, TailnetNode> nodes = new LinkedHashMap<>();
  private PolicyInForce policy;

  /** The policy version in force and when it was set. */
  public record PolicyInForce(long version, String text, String sha256, Instant changedAt) {}

  /** Applies one event recorded at {@code at}. */
  public void apply(Object event, Instant at) {
    if (event instanceof UserCreatedEvent e) {
      users.put(e.userId(), new TailnetUser(e.userId(), e.name(), e.email()));
    } else if (event instanceof UserRenamedEvent e) {
      TailnetUser u = users.get(e.userId());
      if (u != null) {
        users.put(e.userId(), new TailnetUser(e.userId(), e.newName(), u.email()));
      }
    } else if (event instanceof UserDeletedEvent e) {
      users.remove(e.userId());
    } else if (event instanceof NodeRegisteredEvent e) {
      nodes.put(
          e.nodeId(),
          new TailnetNode(
              e.nodeId(),
              e.givenName(),
              address(e.ipv4()),
              address(e.ipv6()),
              e.userId(),
              e.tags() == null ? null : new java.util.LinkedHashSet<>(e.tags()),
              List.of(),
              List.of()));
    } else if (event instanceof NodeRenamedEvent e) {
      update(
          e.nodeId(),
          n ->
              new TailnetNode(
                  n.id(),
                  e.newName(),
                  n.ipv4(),
                  n.ipv6(),
                  n.userId(),
                  n.tags(),
                  n.advertisedRoutes(),
                  n.approvedRoutes()));
    } else if (event instanceof NodeTagsChangedEvent e) {
      // a tagged node belongs to its tags, as in the Node aggregate
      update(
          e.nodeId(),
          n ->
              new TailnetNode(
                  n.id(),
                  n.name(),
                  n.ipv4(),
                  n.ipv6(),
                  null,
                  new java.util.LinkedHashSet<>(e.newTags()),
                  n.advertisedRoutes(),
                  n.approvedRoutes()));
    } else if (event instanceof NodeOwnershipTransferredEvent e) {
      update(
          e.nodeId(),
          n ->
              new TailnetNode(
                  n.id(),
                  n.name(),
                  n.ipv4(),
                  n.ipv6(),
                  e.toUserId(),
                  null,
                  n.advertisedRoutes(),
                  n.approvedRoutes()));
    } else if (event instanceof NodeRoutesAdvertisedEvent e) {
      update(e.nodeId(), n -> n.withRoutes(prefixesOf(e.newRoutes()), n.approvedRoutes()));
    } else if (event instanceof NodeRoutesApprovedEvent e) {
      update(e.nodeId(), n -> n.withRoutes(n.advertisedRoutes(), prefixesOf(e.newRoutes())));
    } else if (event instanceof NodeDeletedEvent e) {
      nodes.remove(e.nodeId());
    } else if (event instanceof PolicyChangedEvent e) {
      policy = new PolicyInForce(e.version(), e.policy(), e.sha256(), at);
    }
  }

  /**
   * Would {@link #apply} use this payload type? Lets a reader skip deserializing everything else.
   */
  public static boolean isRelevant(Class<?> payloadType) {
    return payloadType == UserCreatedEvent.class
        || payloadType == UserRenamedEvent.class
        || payloadType == UserDeletedEvent.class
        || payloadType == NodeRegisteredEvent.class
        || payloadType == NodeRenamedEvent.class
        || payloadType == NodeTagsChangedEvent.class
        || payloadType == NodeOwnershipTransferredEvent.class
        || payloadType == NodeRoutesAdvertisedEvent.class
        || payloadType == NodeRoutesApprovedEvent.class
        || payloadType == NodeDeletedEvent.class
        || payloadType == PolicyChangedEvent.class;
  }

  public TailnetSnapshot snapshot() {
    return TailnetSnapshot.of(users.values(), nodes.values());
  }

  /** The last policy set, if any. */
  public Optional<PolicyInForce> policy() {
    return Optional.ofNullable(policy);
  }

  private void update(long nodeId, java.util.function.UnaryOperator<TailnetNode> change) {
    TailnetNode n = nodes.get(nodeId);
    if (n != null) {
      nodes.put(nodeId, change.apply(n));
    }
  }

  private static IpAddress address(String text) {
    return text == null || text.isBlank() ? null : IpAddress.parse(text);
  }

  /**
   * Routes as recorded; one the engine cannot read is left out rather than failing the whole
   * answer.
   */
  public static List<IpPrefix> prefixesOf(List<String> routes) {
    List<IpPrefix> out = new ArrayList<>();
    for (String r : routes == null ? List.<String>of() : routes) {
      try {
        out.add(IpPrefix.parse(r));
      } catch (IllegalArgumentException unreadable) {
        // recorded routes were validated by the Node aggregate; nothing else should reach here
      }
    }
    return out;
  }
}
