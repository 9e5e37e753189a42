// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.connectivity.PresenceChange;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connectivity changes taken into the map: this instance's streams opening and ending (presence),
 * and the rows the store notifies as changed, by this instance or another. Worker thread only, but
 * for {@link #notified}.
 */
final class ConnectivityChanges {
  private static final Logger log = LoggerFactory.getLogger(ConnectivityChanges.class);

  private final MapState state;
  private final MapFanOut fanOut;
  private final ConnectivityStore store;
  private final ConnectivityWriter writer;
  private final MapSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService worker;

  ConnectivityChanges(
      MapState state,
      MapFanOut fanOut,
      ConnectivityStore store,
      ConnectivityWriter writer,
      MapSettings settings,
      Clock clock,
      ScheduledExecutorService worker) {
    this.state = state;
    this.fanOut = fanOut;
    this.store = store;
    this.writer = writer;
    this.settings = settings;
    this.clock = clock;
    this.worker = worker;
  }

  /**
   * Nodes whose connectivity row changed and is not re-read yet; one worker task drains any number
   * of them.
   */
  private final Set<Long> connectivityChanged = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean connectivityQueued = new AtomicBoolean();

  /**
   * Another instance (or this one) changed a node's connectivity: one task re-reads every row
   * notified meanwhile. Any thread.
   */
  void notified(long nodeId) {
    connectivityChanged.add(nodeId);
    if (connectivityQueued.compareAndSet(false, true)) {
      worker.execute(this::drainConnectivity);
    }
  }

  /** No notification waits to be read. */
  boolean idle() {
    return !connectivityQueued.get() && connectivityChanged.isEmpty();
  }

  /** The node's session here opened or ended: stored behind, passed on now. */
  void present(long nodeId, boolean online) {
    PresenceChange change =
        new PresenceChange(nodeId, online, settings.instanceId(), clock.instant());
    writer.write(change);
    if (state.current != null) {
      connectivityOf(nodeId, change.applyTo(state.current.connectivity().get(nodeId)));
    }
  }

  /**
   * Connectivity rows notified as changed (by this instance or another): re-read each and pass it
   * on.
   */
  private void drainConnectivity() {
    connectivityQueued.set(false);
    Set<Long> ids = new HashSet<>(connectivityChanged);
    connectivityChanged.removeAll(ids);
    if (state.current == null) {
      return;
    }
    Map<Long, NodeConnectivity> rows;
    try {
      rows = store.findAll(ids);
    } catch (RuntimeException e) {
      log.warn("connectivity of {} node(s) not passed on: {}", ids.size(), e.getMessage());
      return;
    }
    for (Long id : ids) {
      NodeConnectivity row = rows.get(id);
      NodeConnectivity known = state.current.connectivity().get(id);
      if (row != null && known != null && ownOrOlder(row, known)) {
        continue;
      }
      connectivityOf(id, row);
    }
  }

  /**
   * Whether a stored row tells the map nothing: written before the row it holds (its own later
   * write is on its way to the store), or this instance's own write coming back. At the same
   * instant the store may have merged this instance's presence into another instance's report, so
   * only a row that says the same is its own.
   */
  private static boolean ownOrOlder(NodeConnectivity row, NodeConnectivity known) {
    int c = MapSnapshot.compareStored(row, known);
    return c < 0
        || (c == 0 && row.online() == known.online() && ReportedConnectivity.sameReach(row, known));
  }

  /**
   * One node's connectivity is now {@code c}: tell the streams that see it, if anything they see
   * changed.
   */
  void connectivityOf(long nodeId, NodeConnectivity c) {
    if (state.current == null) {
      fanOut.reloadAndRefresh();
      return;
    }
    NodeConnectivity before = state.current.connectivity().get(nodeId);
    state.current = state.current.withConnectivity(nodeId, c);
    if (ReportedConnectivity.sameReach(before, c) && before.online() == c.online()) {
      // a heartbeat or an owner change of the session: nothing a peer sees
      return;
    }
    Set<Long> rebuild =
        ReportedConnectivity.sameRoutes(before, c) ? Set.of() : state.updatePolicyFor(nodeId);
    fanOut.sendChangeOf(nodeId, rebuild, null, false);
    if (before == null || before.online() != c.online()) {
      otherRoutersOf(nodeId);
    }
  }

  /**
   * A router coming or going can move a route's primary to another router, which streams that do
   * not see this one may show: the other routers count as changed too.
   */
  private void otherRoutersOf(long nodeId) {
    if (state.current.policy() == null || state.current.policy().servedRoutes(nodeId).isEmpty()) {
      return;
    }
    for (Long other : state.current.policy().servedRoutesByNode().keySet()) {
      if (other != nodeId) {
        fanOut.sendChangeOf(other, Set.of(), null, false);
      }
    }
  }
}
