// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read models' changes taken into the map, on its worker: a node changed, was deleted, users
 * changed, the policy or anything else changed, and the periodic re-read. Each keeps the map
 * current with as little re-reading as it can and queues the change for the streams it concerns.
 */
final class AdminChanges {
  private static final Logger log = LoggerFactory.getLogger(AdminChanges.class);

  private final MapState state;
  private final MapFanOut fanOut;
  private final TailnetLoader loader;
  private final MapBuilder builder;

  AdminChanges(MapState state, MapFanOut fanOut, TailnetLoader loader, MapBuilder builder) {
    this.state = state;
    this.fanOut = fanOut;
    this.loader = loader;
    this.builder = builder;
  }

  /** {@link NetworkMap#nodeChanged}. */
  void nodeChanged(long nodeId, Instant at) {
    try {
      if (state.current == null) {
        state.reload();
        fanOut.recordDelay(at, fanOut.refreshAll());
        return;
      }
      NodeView view = loader.node(nodeId);
      if (view == null) {
        // gone meanwhile (its deletion follows as an event of its own): start from a complete
        // read
        state.reload();
        fanOut.recordDelay(at, fanOut.refreshAll());
        return;
      }
      adopt(view, at);
    } catch (RuntimeException e) {
      log.warn(
          "map update for node {} failed, reading the whole tailnet: {}", nodeId, e.toString());
      fanOut.reloadAndRefresh();
    }
  }

  /**
   * Takes in one node's read-model view (with its owner, if new to the map) and queues the change
   * for the streams it concerns.
   */
  void adopt(NodeView view, Instant at) {
    if (!view.owner().isTagged() && !state.current.users().containsKey(view.userId())) {
      state.current = state.current.withUsers(loader.users());
    }
    state.current = state.current.withNode(view);
    Set<Long> rebuild = state.updatePolicyFor(view.id());
    fanOut.sendChangeOf(view.id(), rebuild, at, true);
  }

  /** {@link NetworkMap#changed}. */
  void changed(Instant at) {
    if (state.reload()) {
      fanOut.recordDelay(at, fanOut.refreshAll());
    }
  }

  /** {@link NetworkMap#nodeDeleted}. */
  void nodeDeleted(long nodeId, Instant at) {
    try {
      if (state.current == null) {
        fanOut.reloadAndRefresh();
        return;
      }
      if (!state.current.nodes().containsKey(nodeId)) {
        // a complete read already left it out, and passed that on
        return;
      }
      if (loader.node(nodeId) != null) {
        // the read model still has it (re-created meanwhile?): trust a complete read
        fanOut.recordDelay(at, fanOut.reloadAndRefresh());
        return;
      }
      state.current = state.current.withoutNode(nodeId);
      Set<Long> rebuild = Set.of();
      if (state.current.policy() != null) {
        CompiledPolicy.Recompiled r = state.current.policy().withoutNode(nodeId);
        state.current = state.current.withPolicy(r.policy());
        loader.adopt(r.policy());
        rebuild = r.affectedNodes();
      }
      builder.retainPeers(state.current.nodes().keySet());
      fanOut.sendChangeOf(nodeId, rebuild, at, true);
    } catch (RuntimeException e) {
      log.warn(
          "map update for deleted node {} failed, reading the whole tailnet: {}",
          nodeId,
          e.toString());
      fanOut.reloadAndRefresh();
    }
  }

  /** {@link NetworkMap#usersChanged}. */
  void usersChanged(Instant at) {
    try {
      if (state.current == null) {
        fanOut.recordDelay(at, fanOut.reloadAndRefresh());
        return;
      }
      List<UserView> users = loader.users();
      Map<Long, UserView> before = state.current.users();
      state.current = state.current.withUsers(users);
      Set<Long> changed = new HashSet<>();
      state
          .current
          .users()
          .forEach(
              (id, u) -> {
                if (!u.equals(before.get(id))) {
                  changed.add(id);
                }
              });
      before.keySet().stream()
          .filter(id -> !state.current.users().containsKey(id))
          .forEach(changed::add);
      if (changed.isEmpty()) {
        return;
      }
      // the nodes read model names each node's owner: re-read the changed users' nodes
      for (NodeView v : List.copyOf(state.current.nodes().values())) {
        if (changed.contains(v.userId())) {
          NodeView fresh = loader.node(v.id());
          if (fresh == null) {
            fanOut.recordDelay(at, fanOut.reloadAndRefresh());
            return;
          }
          state.current = state.current.withNode(fresh);
        }
      }
      if (state.current.policy() != null) {
        CompiledPolicy.Recompiled r =
            state
                .current
                .policy()
                .withUsers(users.stream().map(TailnetLoader::tailnetUser).toList());
        state.current = state.current.withPolicy(r.policy());
        loader.adopt(r.policy());
        if (!r.affectedNodes().isEmpty()) {
          fanOut.recordDelay(at, fanOut.refreshAll());
          return;
        }
      }
      fanOut.recordDelay(at, fanOut.sendProfiles(changed));
    } catch (RuntimeException e) {
      log.warn("map update for a user change failed, reading the whole tailnet: {}", e.toString());
      fanOut.reloadAndRefresh();
    }
  }

  /** {@link NetworkMap#refreshNow}. */
  void refreshChanged() {
    MapSnapshot before = state.current;
    Instant since = state.lastReadAt;
    if (before == null) {
      fanOut.reloadAndRefresh();
      return;
    }
    if (!state.reload()) {
      return;
    }
    MapSnapshot after = state.current;
    if (after.policy() != before.policy()
        || !after.users().equals(before.users())
        || !after.nodes().keySet().equals(before.nodes().keySet())) {
      fanOut.refreshAll();
      return;
    }
    Instant now = state.lastReadAt;
    for (NodeView v : after.nodes().values()) {
      boolean expiredMeanwhile =
          v.expiry() != null && v.expiry().isAfter(since) && !v.expiry().isAfter(now);
      NodeConnectivity was = before.connectivity().get(v.id());
      NodeConnectivity is = after.connectivity().get(v.id());
      boolean reachChanged =
          !(was == null && is == null)
              && !(ReportedConnectivity.sameReach(was, is) && was.online() == is.online());
      if (expiredMeanwhile || reachChanged || !v.equals(before.nodes().get(v.id()))) {
        fanOut.sendChangeOf(v.id(), Set.of(), null, true);
      }
    }
  }
}
