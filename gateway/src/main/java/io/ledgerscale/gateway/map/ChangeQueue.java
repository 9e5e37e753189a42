// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The node changes streams have yet to be told, numbered in the order they happened: at most one
 * flush per {@link MapSettings#batchChangeDelay}, the first change after a quiet spell at once, the
 * changes of a burst together with the next. Each stream remembers the number of the last change it
 * was told ({@link MapSession#toldUpTo}), so a stream that was skipped while its client fell behind
 * takes in everything since in one message later. Worker thread only; the view threads read it
 * while the worker waits for them.
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

  /** Told up to this, a stream is rebuilt when it is next evaluated (it precedes every floor). */
  static final long REBUILD = -1;

  /** The number of the latest change. */
  private long queued;

  /**
   * Changes up to this number are no longer listed: a stream told less than that is rebuilt ({@link
   * #knows}).
   */
  private long floor;

  /**
   * The changed nodes in the order of their changes (a node changed again is listed again; its
   * earlier entry is skipped): {@code log[i]} is a node id, {@code logAt[i]} its change's number,
   * ascending from {@code start} to {@code end}.
   */
  private long[] log = new long[256];

  private long[] logAt = new long[256];
  private int start;
  private int end;

  /** Each changed node's latest change. */
  private final Map<Long, Long> changedAt = new HashMap<>();

  /** Each node's latest change of its read-model view (not only its connectivity). */
  private final Map<Long, Long> viewChangedAt = new HashMap<>();

  /** Each node's latest change that may alter some packet filter. */
  private final Map<Long, Long> altersFiltersAt = new HashMap<>();

  /** Each node's latest change of the node whose change may alter its packet filter. */
  private final Map<Long, Long> filterChangedAt = new HashMap<>();

  /** Event times of the admin changes not flushed yet, for the delay metric. */
  private final List<Instant> pendingSince = new ArrayList<>();

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
    long n = ++queued;
    changedAt.put(nodeId, n);
    append(nodeId, n);
    if (viewChanged) {
      viewChangedAt.put(nodeId, n);
    }
    if (!filtersChanged.isEmpty()) {
      altersFiltersAt.put(nodeId, n);
      for (Long viewer : filtersChanged) {
        filterChangedAt.put(viewer, n);
      }
    }
    if (at != null) {
      pendingSince.add(at);
    }
    scheduleFlush();
  }

  private void append(long nodeId, long n) {
    if (end == log.length) {
      int live = end - start;
      if (live * 2 > log.length) {
        log = Arrays.copyOf(log, log.length * 2);
        logAt = Arrays.copyOf(logAt, logAt.length * 2);
      }
      System.arraycopy(log, start, log, 0, live);
      System.arraycopy(logAt, start, logAt, 0, live);
      start = 0;
      end = live;
    }
    log[end] = nodeId;
    logAt[end++] = n;
  }

  /**
   * At most one flush per {@link MapSettings#batchChangeDelay}: the first change after a quiet
   * spell goes out at once, the changes of a burst wait for the next flush and go out together.
   * Also how a stream that was skipped asks to be told what it missed, once its client caught up.
   */
  void scheduleFlush() {
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
   * The number of the latest change. A view built now from the map's state holds every change so
   * far (the state takes a change before it is queued), so a stream opened now is told only those
   * numbered higher.
   */
  long queued() {
    return queued;
  }

  /**
   * Starts a flush: the admin event times waiting for it; the flush tells up to {@link #queued}.
   */
  List<Instant> take() {
    flushQueued = false;
    lastFlushNanos = System.nanoTime();
    List<Instant> since = List.copyOf(pendingSince);
    pendingSince.clear();
    return since;
  }

  /** Whether a stream told up to {@code toldUpTo} can be told what changed since from this list. */
  boolean knows(long toldUpTo) {
    return toldUpTo >= floor;
  }

  /** Each node changed after {@code toldUpTo}, once. */
  void forEachChangedSince(long toldUpTo, LongConsumer node) {
    int lo = start;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (logAt[mid] <= toldUpTo) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < end; i++) {
      if (isLatest(i)) {
        node.accept(log[i]);
      }
    }
  }

  /** Whether entry {@code i} is its node's latest change (an earlier one is skipped). */
  private boolean isLatest(int i) {
    Long latest = changedAt.get(log[i]);
    return latest != null && latest == logAt[i];
  }

  /** How many changes were numbered after {@code toldUpTo} (nodes changed twice count twice). */
  long countSince(long toldUpTo) {
    return Math.max(0, queued - Math.max(toldUpTo, floor));
  }

  boolean changedSince(long nodeId, long toldUpTo) {
    return after(changedAt, nodeId, toldUpTo);
  }

  /** Whether the node's own view changed, or its change may alter some filter, since then. */
  boolean viewOrFiltersChangedSince(long nodeId, long toldUpTo) {
    return after(viewChangedAt, nodeId, toldUpTo) || after(altersFiltersAt, nodeId, toldUpTo);
  }

  /** Whether a change since then may alter this node's packet filter. */
  boolean filterChangedSince(long nodeId, long toldUpTo) {
    return after(filterChangedAt, nodeId, toldUpTo);
  }

  private static boolean after(Map<Long, Long> at, long nodeId, long toldUpTo) {
    Long n = at.get(nodeId);
    return n != null && n > toldUpTo;
  }

  /**
   * Forgets what every stream has been told ({@code oldestTold}, the least any stream was told),
   * and keeps at most {@code max} changes listed: a stream that fell further behind than that (its
   * client stopped reading) is rebuilt when it catches up, so one stuck client cannot make the list
   * grow without end.
   */
  void forget(long oldestTold, int max) {
    long keepAfter = Math.max(floor, Math.min(oldestTold, queued));
    while (start < end && logAt[start] <= keepAfter) {
      start++;
    }
    // skipped entries (nodes changed again later) are dropped once they are most of the list
    if (end - start > 2 * changedAt.size() + 64) {
      int to = start;
      for (int i = start; i < end; i++) {
        if (isLatest(i)) {
          log[to] = log[i];
          logAt[to++] = logAt[i];
        }
      }
      end = to;
    }
    if (end - start > max) {
      start = end - max;
      keepAfter = logAt[start - 1];
    }
    floor = keepAfter;
    if (changedAt.size() > end - start + 64) {
      long f = floor;
      changedAt.values().removeIf(n -> n <= f);
      viewChangedAt.values().removeIf(n -> n <= f);
      altersFiltersAt.values().removeIf(n -> n <= f);
      filterChangedAt.values().removeIf(n -> n <= f);
    }
  }

  /** No flush is due but one waiting for the batch delay. */
  boolean idle() {
    return !flushQueued || flushDelayed;
  }
}
