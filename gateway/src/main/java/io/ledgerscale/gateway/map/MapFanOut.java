// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes the map's changes on to the streams: queued node changes are flushed as one message per
 * stream, a complete re-evaluation rebuilds every view; what each stream was sent becomes its view.
 * Worker thread only.
 */
final class MapFanOut {
  private static final Logger log = LoggerFactory.getLogger(MapFanOut.class);

  private final MapState state;
  private final StreamViews views;
  private final MapBuilder builder;
  private final Clock clock;
  private final ChangeQueue queue;
  private final ScheduledExecutorService worker;
  private final Runnable caughtUp = this::caughtUp;

  MapFanOut(
      MapState state,
      StreamViews views,
      MapBuilder builder,
      ScheduledExecutorService worker,
      MapSettings settings,
      Clock clock) {
    this.state = state;
    this.views = views;
    this.builder = builder;
    this.clock = clock;
    this.worker = worker;
    this.queue = new ChangeQueue(worker, settings, this::flush);
  }

  // metrics are optional (a context without Micrometer, unit tests): recording nothing is right
  private Consumer<Duration> delayRecorder = d -> {};

  private java.util.function.IntConsumer fanOutRecorder = n -> {};

  void recordDelaysWith(Consumer<Duration> recorder) {
    this.delayRecorder = recorder;
  }

  void recordFanOutWith(java.util.function.IntConsumer recorder) {
    this.fanOutRecorder = recorder;
  }

  /**
   * Queues one node's change for the streams it concerns, sent with the next {@link #flush}: the
   * node's own streams are rebuilt; every other stream that sees the node, or saw it, gets it as a
   * changed peer, and the streams in {@code filtersChanged} (and all, when the policy has SSH
   * rules, whose principals are node addresses) get their filter and SSH policy re-assembled.
   * {@code at} is the admin event's time, if one caused it; {@code viewChanged} says the node's
   * read-model view changed, not only its connectivity.
   */
  void sendChangeOf(long nodeId, Set<Long> filtersChanged, Instant at, boolean viewChanged) {
    queue.add(nodeId, filtersChanged, at, viewChanged);
  }

  /** The number of the latest queued change: a view built now holds them all. */
  long changesQueued() {
    return queue.queued();
  }

  /** Nothing queued is due but a flush waiting for the batch delay. */
  boolean idle() {
    return queue.idle();
  }

  /**
   * Sends each stream one message with every queued change it is concerned by since it was last
   * told. The views are computed on all cores ({@link StreamViews}): each stream's view is its own,
   * the tailnet is immutable; what is sent, and each stream's last view, is applied here on the
   * worker. A stream still writing an earlier message is skipped: its client (or this server) is
   * behind, and a message per flush would only pile up. It is told everything it missed in one
   * message once it caught up, which asks for another flush.
   */
  private void flush() {
    List<Instant> since = queue.take();
    if (state.current == null) {
      return;
    }
    long upTo = queue.queued();
    List<MapSession> due = new ArrayList<>();
    long oldestDue = upTo;
    for (MapSession s : state.sessions.values()) {
      if (s.toldUpTo >= upTo) {
        continue;
      }
      if (s.sink.behind(caughtUp)) {
        continue;
      }
      due.add(s);
      oldestDue = Math.min(oldestDue, s.toldUpTo);
    }
    int sent = 0;
    if (!due.isEmpty()) {
      try {
        // inside the try: a policy that cannot answer who sees a node must not drop the changes
        StreamViews.Changes changes = new StreamViews.Changes(queue, state.current.policy());
        sent =
            evaluateAndApply(
                due,
                upTo,
                (int) Math.min(Integer.MAX_VALUE, queue.countSince(oldestDue)),
                (s, t, now, shared) -> views.changesFor(s, changes, t, now, shared));
      } catch (RuntimeException e) {
        log.warn(
            "passing on queued map changes failed, reading the whole tailnet: {}", e.toString());
        sent = reloadAndRefresh();
      }
    }
    for (Instant at : since) {
      recordDelay(at, sent);
    }
    forgetWhatEveryStreamWasTold();
  }

  /**
   * A stream that caught up after it was skipped: handed to it from its I/O thread, so the flush
   * that tells it what it missed is asked for on the worker.
   */
  private void caughtUp() {
    try {
      worker.execute(queue::scheduleFlush);
    } catch (RejectedExecutionException e) {
      // the map is closing: no stream will be told anything more
    }
  }

  /**
   * The queue lists changes some stream has not been told; a client that stopped reading holds at
   * most as many as the tailnet has nodes, twice, before it is rebuilt instead.
   */
  private void forgetWhatEveryStreamWasTold() {
    long oldest = queue.queued();
    for (MapSession s : state.sessions.values()) {
      if (queue.knows(s.toldUpTo)) {
        // one that is to be rebuilt needs nothing listed
        oldest = Math.min(oldest, s.toldUpTo);
      }
    }
    int nodes = state.current == null ? 0 : state.current.nodes().size();
    queue.forget(oldest, 2 * nodes + MIN_LISTED);
  }

  /** However small the tailnet, this many changes stay listed for streams that fell behind. */
  private static final int MIN_LISTED = 1024;

  /**
   * Sends what {@link StreamViews#evaluate} found and keeps each stream's new view, told up to
   * {@code upTo}; a stream whose node is gone or was re-keyed ends (the client must start over).
   * Answers how many streams got a message.
   */
  private int apply(List<MapSession> batch, MapBuilder.Patched[] next, long upTo) {
    int sent = 0;
    for (int i = 0; i < next.length; i++) {
      MapSession s = batch.get(i);
      if (state.sessions.get(s.sink) != s) {
        // ended meanwhile
        continue;
      }
      if (next[i] == null) {
        log.debug("closing the map stream of node {}: node gone or key rotated", s.nodeId);
        end(s);
      } else {
        s.sent = next[i].commit();
        s.toldUpTo = upTo;
        if (next[i].delta() != null) {
          s.sink.send(next[i].delta());
          sent++;
        }
      }
    }
    return sent;
  }

  /** Ends one stream: nothing more is sent to it. */
  void end(MapSession s) {
    state.sessions.remove(s.sink);
    s.sink.close();
  }

  /**
   * Sends every stream what changed for it (a complete re-evaluation, which also covers whatever
   * was queued for it); answers how many streams got a message. A stream still writing an earlier
   * message is rebuilt once it caught up instead.
   */
  int refreshAll() {
    if (state.current == null) {
      return 0;
    }
    List<MapSession> due = new ArrayList<>();
    for (MapSession s : state.sessions.values()) {
      if (s.sink.behind(caughtUp)) {
        s.toldUpTo = ChangeQueue.REBUILD;
      } else {
        due.add(s);
      }
    }
    // every view is rebuilt from the tailnet as it is now, which already holds what was queued
    return evaluateAndApply(
        due,
        queue.queued(),
        state.current.nodes().size(),
        (s, t, now, shared) -> views.rebuilt(s, t, now));
  }

  /**
   * Evaluates every stream's next view and sends it, a share of the streams at a time: the views of
   * one share are computed in parallel and sent before the next share is evaluated. What a view is
   * worked out from grows with the changes it takes in (a rebuild: with the tailnet), and held for
   * all streams at once, a fleet's first connect (hundreds of nodes coming online in one flush, a
   * thousand streams) kept about 280 MB of them until the last was done. A stream's view becomes
   * its own only as its message is sent, so a failure in a later share leaves every stream with
   * what its client has (the fallback then rebuilds them all).
   */
  private int evaluateAndApply(
      List<MapSession> all, long upTo, int changes, StreamViews.View view) {
    MapSnapshot t = state.tailnet();
    Instant now = clock.instant();
    int share = StreamViews.shareFor(changes);
    int sent = 0;
    for (int from = 0; from < all.size(); from += share) {
      List<MapSession> part = all.subList(from, Math.min(all.size(), from + share));
      sent += apply(part, views.evaluate(part, t, now, view), upTo);
    }
    return sent;
  }

  int reloadAndRefresh() {
    return state.reload() ? refreshAll() : 0;
  }

  void recordDelay(Instant eventAt, int sent) {
    if (eventAt != null) {
      fanOutRecorder.accept(sent);
    }
    if (sent > 0 && eventAt != null) {
      Duration delay = Duration.between(eventAt, clock.instant());
      log.debug(
          "admin change reached {} map stream(s) {} ms after its event", sent, delay.toMillis());
      delayRecorder.accept(delay);
    }
  }

  /** Sends the new profiles of changed users to the streams that show them. */
  int sendProfiles(Set<Long> users) {
    MapSnapshot t = state.tailnet();
    Instant now = clock.instant();
    int sent = 0;
    for (MapSession s : state.sessions.values()) {
      MapBuilder.Patched p = builder.patchProfiles(s.sent, users, t, now);
      s.sent = p.commit();
      if (p.delta() != null) {
        s.sink.send(p.delta());
        sent++;
      }
    }
    return sent;
  }
}
