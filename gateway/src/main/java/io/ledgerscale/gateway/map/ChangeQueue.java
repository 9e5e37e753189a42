// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Node changes not passed on yet, coalesced: at most one flush per {@link
 * MapSettings#batchChangeDelay}, the first change after a quiet spell at once, the changes of a
 * burst together with the next. Worker thread only.
 */
final class ChangeQueue {
  private final ScheduledExecutorService worker;
  private final MapSettings settings;
  private final Runnable flush;

  ChangeQueue(ScheduledExecutorService worker, MapSettings settings, Runnable flush) {
    this.worker = worker;
    this.settings = settings;
    this.flush = flush;
  }

  /**
   * Node changes not passed on yet: each changed node, with the nodes whose packet filter its
   * change may alter. Which streams a change concerns is worked out once, at the next flush, on
   * every core: a fleet connecting is a change per node for every stream.
   */
  private final Map<Long, Set<Long>> pending = new LinkedHashMap<>();

  /**
   * The pending nodes whose read-model view changed (not only their connectivity): their own
   * streams are rebuilt. A node whose connectivity alone changed keeps whom it sees and its filter,
   * so its own streams get a new self entry with the other changes instead.
   */
  private final Set<Long> pendingViews = new HashSet<>();

  /** Event times of the admin changes waiting in {@code pending}, for the delay metric. */
  private final List<Instant> pendingSince = new ArrayList<>();

  /** Changes queued since the start, each node's latest by its number: see {@link #queued}. */
  private long queued;

  private final Map<Long, Long> pendingAt = new HashMap<>();

  private boolean flushQueued;

  /** The queued flush waits for the batch delay (it is not due yet). */
  private boolean flushDelayed;

  private long lastFlushNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

  /**
   * Queues one node's change for the streams it concerns, sent with the next flush: the node's own
   * streams are rebuilt; every other stream that sees the node, or saw it, gets it as a changed
   * peer, and the streams in {@code filtersChanged} (and all, when the policy has SSH rules, whose
   * principals are node addresses) get their filter and SSH policy re-assembled. {@code at} is the
   * admin event's time, if one caused it; {@code viewChanged} says the node's read-model view
   * changed, not only its connectivity.
   */
  void add(long nodeId, Set<Long> filtersChanged, Instant at, boolean viewChanged) {
    pending.merge(
        nodeId,
        filtersChanged,
        (a, b) -> {
          Set<Long> both = new HashSet<>(a);
          both.addAll(b);
          return both;
        });
    pendingAt.put(nodeId, ++queued);
    if (viewChanged) {
      pendingViews.add(nodeId);
    }
    if (at != null) {
      pendingSince.add(at);
    }
    scheduleFlush();
  }

  /**
   * At most one flush per {@link MapSettings#batchChangeDelay}: the first change after a quiet
   * spell goes out at once, the changes of a burst wait for the next flush and go out together.
   */
  private void scheduleFlush() {
    if (flushQueued) {
      return;
    }
    flushQueued = true;
    long waitNanos = lastFlushNanos + settings.batchChangeDelay().toNanos() - System.nanoTime();
    flushDelayed = waitNanos > 0;
    if (waitNanos <= 0) {
      worker.execute(flush);
    } else {
      worker.schedule(flush, waitNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * How many changes were queued so far. A view built now from the map's state holds every one of
   * them (the state takes a change before it is queued), so a stream opened now needs only those
   * queued later ({@link Batch#changedAt}).
   */
  long queued() {
    return queued;
  }

  /**
   * One flush's share of the queue: what each changed node may alter, the number of its latest
   * change ({@link #queued}), and when the admin events were.
   */
  record Batch(
      Map<Long, Set<Long>> filtersByNode,
      Set<Long> viewsChanged,
      Map<Long, Long> changedAt,
      List<Instant> since) {}

  /** Starts a flush: hands over everything queued and empties the queue. */
  Batch take() {
    flushQueued = false;
    lastFlushNanos = System.nanoTime();
    List<Instant> since = List.copyOf(pendingSince);
    pendingSince.clear();
    Map<Long, Set<Long>> changed = new LinkedHashMap<>(pending);
    Set<Long> views = Set.copyOf(pendingViews);
    Map<Long, Long> at = Map.copyOf(pendingAt);
    pending.clear();
    pendingViews.clear();
    pendingAt.clear();
    return new Batch(changed, views, at, since);
  }

  /** Forgets the queued changes (a complete re-evaluation covers them). */
  void clear() {
    pending.clear();
    pendingViews.clear();
    pendingAt.clear();
  }

  /** No flush is due but one waiting for the batch delay. */
  boolean idle() {
    return !flushQueued || flushDelayed;
  }
}
