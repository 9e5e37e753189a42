// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The map's snapshot of the tailnet: everything one round of map building reads, taken at one
 * moment: the nodes and users read models, the compiled policy (null when no policy was ever set:
 * everyone sees everyone), client-reported connectivity, and which nodes hold an open stream on
 * this instance. Not the domain's {@code Tailnet} aggregate (names, addresses and ids), which the
 * gateway never sees.
 */
public record MapSnapshot(
    Map<Long, NodeView> nodes,
    Map<Long, UserView> users,
    CompiledPolicy policy,
    Map<Long, NodeConnectivity> connectivity,
    Set<Long> streaming) {

  public static MapSnapshot of(
      List<NodeView> nodes,
      List<UserView> users,
      CompiledPolicy policy,
      Map<Long, NodeConnectivity> connectivity,
      Set<Long> streaming) {
    Map<Long, NodeView> n = new LinkedHashMap<>();
    nodes.forEach(v -> n.put(v.id(), v));
    Map<Long, UserView> u = new LinkedHashMap<>();
    users.forEach(v -> u.put(v.id(), v));
    return new MapSnapshot(
        Map.copyOf(n), Map.copyOf(u), policy, Map.copyOf(connectivity), idSet(streaming));
  }

  /** The same tailnet with one node's read-model view replaced (or added). */
  public MapSnapshot withNode(NodeView view) {
    Map<Long, NodeView> n = new LinkedHashMap<>(nodes);
    n.put(view.id(), view);
    return new MapSnapshot(Collections.unmodifiableMap(n), users, policy, connectivity, streaming);
  }

  /** The same tailnet without one node (deleted), nor its connectivity. */
  public MapSnapshot withoutNode(long nodeId) {
    Map<Long, NodeView> n = new LinkedHashMap<>(nodes);
    n.remove(nodeId);
    return new MapSnapshot(
        Collections.unmodifiableMap(n),
        users,
        policy,
        LayeredIdMap.with(connectivity, nodeId, null),
        streaming);
  }

  /** The same tailnet with one node's connectivity replaced, or removed when {@code c} is null. */
  public MapSnapshot withConnectivity(long nodeId, NodeConnectivity c) {
    return new MapSnapshot(
        nodes, users, policy, LayeredIdMap.with(connectivity, nodeId, c), streaming);
  }

  /**
   * The same tailnet where {@code known} holds a row more recent than the stored one (or one not
   * stored yet) for a node of this tailnet: the instance's own writes that the store has not caught
   * up with.
   */
  public MapSnapshot withRowsNotOlderThan(Map<Long, NodeConnectivity> known) {
    Map<Long, NodeConnectivity> m = null;
    for (Map.Entry<Long, NodeConnectivity> e : known.entrySet()) {
      NodeConnectivity stored = connectivity.get(e.getKey());
      if (!nodes.containsKey(e.getKey())
          || stored == e.getValue()
          || (stored != null && compareStored(stored, e.getValue()) >= 0)) {
        continue;
      }
      if (m == null) {
        m = new HashMap<>(connectivity);
      }
      m.put(e.getKey(), e.getValue());
    }
    return m == null
        ? this
        : new MapSnapshot(nodes, users, policy, Collections.unmodifiableMap(m), streaming);
  }

  /**
   * How the stored row's time compares with {@code known}'s: negative when it was written before,
   * zero at the same instant, positive after. Stored times keep microseconds, so a row known here
   * compares at that precision: its own write read back is at the same instant. A stored row at the
   * same instant may still hold more than the row known here: the store merges a presence change
   * into the row another instance's client report left, so at the same instant the stored row is
   * the one to keep.
   */
  public static int compareStored(NodeConnectivity stored, NodeConnectivity known) {
    if (stored.updatedAt() == null) {
      return known.updatedAt() == null ? 0 : -1;
    }
    return known.updatedAt() == null
        ? 1
        : stored.updatedAt().compareTo(known.updatedAt().truncatedTo(ChronoUnit.MICROS));
  }

  public MapSnapshot withUsers(List<UserView> all) {
    Map<Long, UserView> u = new LinkedHashMap<>();
    all.forEach(v -> u.put(v.id(), v));
    return new MapSnapshot(nodes, Collections.unmodifiableMap(u), policy, connectivity, streaming);
  }

  public MapSnapshot withPolicy(CompiledPolicy p) {
    return new MapSnapshot(nodes, users, p, connectivity, streaming);
  }

  public MapSnapshot withStreaming(Set<Long> ids) {
    return new MapSnapshot(nodes, users, policy, connectivity, idSet(ids));
  }

  /**
   * A hash set, not Set.copyOf: the immutable set probes with equals at every occupied slot it
   * passes, and node ids (consecutive numbers) sit in long runs there; a hash set compares hashes
   * first. Asked once per peer of every view.
   */
  private static Set<Long> idSet(Set<Long> ids) {
    return Collections.unmodifiableSet(new HashSet<>(ids));
  }

  public Optional<NodeView> byNodeKey(String nodeKey) {
    return nodes.values().stream().filter(v -> nodeKey.equals(v.nodeKey())).findFirst();
  }

  public Optional<NodeConnectivity> connectivityOf(long nodeId) {
    return Optional.ofNullable(connectivity.get(nodeId));
  }

  /** Online: a stream here, or a session another instance holds. */
  public boolean online(long nodeId) {
    Long id = nodeId;
    return online(id, connectivity.get(id));
  }

  /**
   * As above, with {@code c} the node's connectivity here (looked up already); the id is boxed by
   * the caller once, not per lookup (the map's thread asks for every peer of every view).
   */
  boolean online(Long nodeId, NodeConnectivity c) {
    return streaming.contains(nodeId) || (c != null && c.online());
  }
}
