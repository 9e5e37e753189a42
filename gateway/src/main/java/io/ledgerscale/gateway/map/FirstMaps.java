// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.machine.MapSink;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The first maps of new streams. Asked for while the worker is busy (a fleet connecting), they are
 * built once the worker has taken in every request queued before them: those requests' connectivity
 * reports are in the map by then, so a first map holds the peers that reported meanwhile instead of
 * its stream learning of them one delta after another. A request that finds the worker idle is
 * answered right after its own task. At most {@link #PER_TASK} are built in one task, the rest
 * after what was queued meanwhile, so that thousands asked for at once do not hold up the worker
 * for seconds. Worker thread only.
 */
final class FirstMaps {
  private record Asked(
      String nodeKey,
      long nodeId,
      MapSink stream,
      CompletableFuture<Optional<MapResponse>> result) {}

  private final MapState state;
  private final MapBuilder builder;
  private final MapFanOut fanOut;
  private final Clock clock;
  private final Executor worker;
  private final List<Asked> waiting = new ArrayList<>();

  static final int PER_TASK = 64;

  FirstMaps(MapState state, MapBuilder builder, MapFanOut fanOut, Clock clock, Executor worker) {
    this.state = state;
    this.builder = builder;
    this.fanOut = fanOut;
    this.clock = clock;
    this.worker = worker;
  }

  /**
   * Builds the first map of node {@code nodeId} (its key checked already) after the tasks queued on
   * the worker now; with {@code stream}, the stream is told every change from then on.
   */
  void ask(
      String nodeKey,
      long nodeId,
      MapSink stream,
      CompletableFuture<Optional<MapResponse>> result) {
    waiting.add(new Asked(nodeKey, nodeId, stream, result));
    if (waiting.size() == 1) {
      worker.execute(this::build);
    }
  }

  private void build() {
    List<Asked> chunk = waiting.subList(0, Math.min(PER_TASK, waiting.size()));
    List<Asked> due = List.copyOf(chunk);
    chunk.clear();
    if (!waiting.isEmpty()) {
      worker.execute(this::build);
    }
    MapSnapshot t;
    try {
      t = state.tailnet();
    } catch (RuntimeException e) {
      due.forEach(a -> a.result().completeExceptionally(e));
      return;
    }
    Instant now = clock.instant();
    for (Asked a : due) {
      try {
        NodeMap map = builder.build(a.nodeId(), t, now);
        if (map == null || !a.nodeKey().equals(map.self().key())) {
          // deleted or re-keyed since it asked: the client starts over
          a.result().complete(Optional.empty());
          continue;
        }
        if (a.stream() != null) {
          state.sessions.put(
              a.stream(),
              new MapSession(a.nodeKey(), a.nodeId(), a.stream(), map, fanOut.changesQueued()));
        }
        a.result().complete(Optional.of(builder.full(map, t, now)));
      } catch (RuntimeException e) {
        a.result().completeExceptionally(e);
      }
    }
  }
}
