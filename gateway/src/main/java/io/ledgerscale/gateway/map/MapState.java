// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.gateway.machine.MapSink;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the map holds, on its worker thread only: the tailnet as last read (with the compiled
 * policy) and every stream this instance serves.
 */
final class MapState {
  private static final Logger log = LoggerFactory.getLogger(MapState.class);

  private final TailnetLoader loader;
  private final MapBuilder builder;
  private final Clock clock;

  MapState(TailnetLoader loader, MapBuilder builder, Clock clock) {
    this.loader = loader;
    this.builder = builder;
    this.clock = clock;
  }

  /**
   * Every map stream this instance serves, by the stream itself: a reconnecting client has two for
   * a moment, each with its own view, and the end of one must never end the other's updates.
   */
  final Map<MapSink, MapSession> sessions = new IdentityHashMap<>();

  /** The tailnet as last read; only touched on the worker; null until first needed. */
  MapSnapshot current;

  /** {@link #current}'s nodes by node key, and the node map that index was built from. */
  private Map<String, NodeView> byKey = Map.of();

  private Map<Long, NodeView> byKeyOf;

  /** When {@link #current} was last read in full. */
  Instant lastReadAt;

  /**
   * Reads the whole tailnet again; false (and the old state kept) when the read models cannot be
   * read.
   */
  boolean reload() {
    try {
      Instant at = clock.instant();
      MapSnapshot before = current;
      current = loader.load(Set.of());
      if (before != null) {
        // rows this instance wrote that the store may not hold yet (ConnectivityWriter)
        current = current.withRowsNotOlderThan(before.connectivity());
      }
      lastReadAt = at;
      builder.retainPeers(current.nodes().keySet());
      return true;
    } catch (RuntimeException e) {
      log.warn("map refresh skipped: {}", e.getMessage());
      return false;
    }
  }

  /** The tailnet as last read, with this instance's open streams; read in full the first time. */
  MapSnapshot tailnet() {
    if (current == null && !reload()) {
      throw new IllegalStateException("the tailnet cannot be read");
    }
    return current.withStreaming(streamingIds());
  }

  /**
   * The node holding this key, through an index of the nodes as last read (every map request and
   * lite update looks a node up; a scan of every node each time made connecting all streams
   * quadratic).
   */
  Optional<NodeView> find(String nodeKey) {
    if (current == null && !reload()) {
      throw new IllegalStateException("the tailnet cannot be read");
    }
    if (byKeyOf != current.nodes()) {
      Map<String, NodeView> index = new HashMap<>();
      current.nodes().values().forEach(v -> index.putIfAbsent(v.nodeKey(), v));
      byKey = index;
      byKeyOf = current.nodes();
    }
    return Optional.ofNullable(byKey.get(nodeKey));
  }

  /**
   * Brings the compiled policy up to date with one node's read-model view and connectivity (tags,
   * owner, addresses, routes); answers the nodes whose packet filter may have changed with it.
   * Their peer lists can only have changed in that one node, which {@link MapFanOut#sendChangeOf}
   * tells every viewer about anyway.
   */
  Set<Long> updatePolicyFor(long nodeId) {
    CompiledPolicy policy = current.policy();
    NodeView view = current.nodes().get(nodeId);
    if (policy == null || view == null) {
      return Set.of();
    }
    TailnetNode node = TailnetLoader.tailnetNode(view, current.connectivity().get(nodeId));
    if (node.equals(policy.snapshot().node(nodeId))) {
      return Set.of();
    }
    CompiledPolicy.Recompiled r = policy.withNode(node);
    current = current.withPolicy(r.policy());
    loader.adopt(r.policy());
    return r.affectedNodes();
  }

  /** Whether a stream of the node is here, open or with its first map built and not yet sent. */
  boolean hasSession(long nodeId) {
    for (MapSession s : sessions.values()) {
      if (s.nodeId == nodeId) {
        return true;
      }
    }
    return false;
  }

  /** Node ids with an open stream here. */
  Set<Long> streamingIds() {
    Set<Long> ids = new HashSet<>();
    for (MapSession s : sessions.values()) {
      if (s.open) {
        ids.add(s.nodeId);
      }
    }
    return ids;
  }
}
