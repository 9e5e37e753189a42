// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.IntStream;

/**
 * Each stream's next view after a change, and the delta that tells its client: patched with the
 * changes that concern it (the per-viewer peer diff), or rebuilt. Many streams are evaluated on
 * every core; the tailnet is immutable and each view is its stream's own.
 */
final class StreamViews implements AutoCloseable {
  private final MapBuilder builder;

  /**
   * Below this many streams to evaluate, handing them to other threads costs more than it saves.
   */
  private static final int PARALLEL_FROM = 64;

  /**
   * How many stream-and-change pairs one share of the streams is evaluated for at once ({@link
   * MapFanOut}): a few hundred bytes of work state each, so a share holds some tens of megabytes at
   * most, whatever the fleet's size.
   */
  static final int PAIRS_PER_SHARE = 1 << 16;

  /**
   * How many streams are evaluated (and sent) together when each takes in {@code changes}: never
   * fewer than are worth evaluating in parallel.
   */
  static int shareFor(int changes) {
    return Math.max(PARALLEL_FROM, PAIRS_PER_SHARE / Math.max(1, changes));
  }

  /** Where a complete re-evaluation builds the streams' views, on every core. */
  private final ForkJoinPool views;

  StreamViews(MapBuilder builder) {
    this.builder = builder;
    this.views =
        new ForkJoinPool(
            Runtime.getRuntime().availableProcessors(),
            pool -> {
              ForkJoinWorkerThread t =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
              t.setName("network-map-views-" + t.getPoolIndex());
              t.setDaemon(true);
              return t;
            },
            null,
            false);
  }

  /**
   * What one flush tells the streams: the queued changes, with who may see each changed node (asked
   * of the policy once per node, not once per stream). Each stream is told the changes after the
   * last one it was told.
   */
  static final class Changes {
    private final ChangeQueue queue;
    private final CompiledPolicy policy;
    private final Map<Long, Set<Long>> seenBy = new ConcurrentHashMap<>();
    final boolean everyRuleSet;

    Changes(ChangeQueue queue, CompiledPolicy policy) {
      this.queue = queue;
      this.policy = policy;
      // SSH principals are node addresses: with SSH rules, any node change may alter any SSH policy
      this.everyRuleSet = policy != null && !policy.policy().ssh().isEmpty();
    }

    boolean seenBy(long nodeId, long viewerId) {
      if (policy == null) {
        return true;
      }
      // visibility is symmetric: whoever may see the changed node is among its own peers
      return seenBy.computeIfAbsent(nodeId, policy::peersOf).contains(viewerId);
    }
  }

  /**
   * One stream's view with the changes that concern it since it was last told, and the delta that
   * tells the client; the stream's view unchanged (no delta) when none does; null when its node is
   * gone.
   */
  MapBuilder.Patched changesFor(
      MapSession s, Changes changes, MapSnapshot t, Instant now, SharedDeltas shared) {
    ChangeQueue q = changes.queue;
    long told = s.toldUpTo;
    if (!q.knows(told)) {
      // fell behind further than the queue lists: whatever changed is in the tailnet
      return rebuilt(s, t, now);
    }
    boolean own = q.changedSince(s.nodeId, told);
    if (own && q.viewOrFiltersChangedSince(s.nodeId, told)) {
      // its tags, owner, addresses, expiry or policy standing: whom it sees may have changed
      return rebuilt(s, t, now);
    }
    boolean rules = changes.everyRuleSet || q.filterChangedSince(s.nodeId, told);
    Map<Long, Boolean> visible = new HashMap<>();
    q.forEachChangedSince(
        told,
        nodeId -> {
          if (nodeId == s.nodeId) {
            return;
          }
          boolean sees = changes.seenBy(nodeId, s.nodeId);
          if (sees || s.sent.peers().containsKey(nodeId)) {
            visible.put(nodeId, sees);
          }
        });
    if (visible.isEmpty() && !rules && !own) {
      return new MapBuilder.Patched(s.sent, null);
    }
    MapBuilder.Patched p =
        builder.patchPeers(s.sent, s.nodeId, visible, rules, own, t, now, shared);
    return p == null ? rebuilt(s, t, now) : p;
  }

  /** The stream's view built afresh, or null when its node is gone or was re-keyed. */
  MapBuilder.Patched rebuilt(MapSession s, MapSnapshot t, Instant now) {
    NodeMap after = builder.build(s.nodeId, t, now);
    if (after == null || !s.nodeKey.equals(after.self().key())) {
      return null;
    }
    return new MapBuilder.Patched(after, builder.delta(s.sent, after, t, now));
  }

  interface View {
    MapBuilder.Patched of(MapSession s, MapSnapshot t, Instant now, SharedDeltas shared);
  }

  /**
   * Each session's next view, computed in parallel when there are many. The streams of one call
   * share their peer deltas ({@link SharedDeltas}): kept for this call only, so what they hold is
   * bounded by the share of streams the caller evaluates at once.
   */
  MapBuilder.Patched[] evaluate(List<MapSession> batch, MapSnapshot t, Instant now, View view) {
    MapBuilder.Patched[] out = new MapBuilder.Patched[batch.size()];
    SharedDeltas shared = new SharedDeltas();
    if (batch.size() < PARALLEL_FROM) {
      for (int i = 0; i < out.length; i++) {
        out[i] = view.of(batch.get(i), t, now, shared);
      }
      return out;
    }
    Runnable all =
        () ->
            IntStream.range(0, out.length)
                .parallel()
                .forEach(i -> out[i] = view.of(batch.get(i), t, now, shared));
    try {
      views.submit(all).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    return out;
  }

  @Override
  public void close() {
    views.shutdownNow();
  }
}
