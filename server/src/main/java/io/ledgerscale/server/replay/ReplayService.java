// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.replay;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Rebuilds every projection from the event store: each streaming processor is stopped, its tokens
 * reset (which calls the projections' reset handlers, emptying their tables in the same
 * transaction) and started again, so it replays from the first event. This is what {@code
 * ledgerscale replay} and {@code POST /api/v1/admin/replay} run.
 *
 * <p>With several server instances on one database, the others must be stopped first: a processor
 * still running elsewhere would keep its claim on the token and the reset would fail.
 */
@Service
public class ReplayService {
  private static final Logger log = LoggerFactory.getLogger(ReplayService.class);
  private final EventProcessingConfiguration processing;
  private final JdbcTemplate jdbc;
  private volatile long headAtStart = -1;

  public ReplayService(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
    this.processing = processing;
    this.jdbc = jdbc;
  }

  /** Starts a rebuild and returns at once; follow it with {@link #progress()}. */
  public synchronized ReplayProgress start() {
    long head = headIndex();
    for (Map.Entry<String, StreamingEventProcessor> p : processors().entrySet()) {
      StreamingEventProcessor processor = p.getValue();
      log.info("Replaying projection {} from the first event", p.getKey());
      processor.shutDown();
      processor.resetTokens();
      processor.start();
    }
    headAtStart = head;
    return progress();
  }

  /** Starts a rebuild and waits until every projection has caught up, or the timeout passes. */
  public ReplayProgress replayAndWait(Duration timeout) throws InterruptedException {
    start();
    long deadline = System.nanoTime() + timeout.toNanos();
    ReplayProgress progress = progress();
    while (progress.running() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      progress = progress();
    }
    return progress;
  }

  /**
   * Where the current (or last) rebuild stands; before any rebuild, where the projections stand.
   */
  public ReplayProgress progress() {
    long head = headAtStart >= 0 ? headAtStart : headIndex();
    Map<String, Long> positions = new TreeMap<>();
    boolean running = false;
    long slowest = Long.MAX_VALUE;
    for (Map.Entry<String, StreamingEventProcessor> p : processors().entrySet()) {
      StreamingEventProcessor processor = p.getValue();
      long position = position(processor);
      positions.put(p.getKey(), position);
      slowest = Math.min(slowest, position);
      running |= processor.isReplaying() || position < head;
    }
    long processedIndex = slowest == Long.MAX_VALUE ? head : Math.min(slowest, head);
    return new ReplayProgress(countUpTo(processedIndex), countUpTo(head), running, positions);
  }

  private Map<String, StreamingEventProcessor> processors() {
    Map<String, StreamingEventProcessor> found = new TreeMap<>();
    processing
        .eventProcessors()
        .forEach(
            (name, processor) -> {
              // a processor that acts rather than projects (route auto-approval) refuses a reset:
              // it is not a read model
              if (processor instanceof StreamingEventProcessor streaming
                  && streaming.supportsReset()) {
                found.put(name, streaming);
              }
            });
    return found;
  }

  /**
   * The lowest position over the processor's segments; a segment nobody has claimed yet counts as
   * 0.
   */
  private static long position(StreamingEventProcessor processor) {
    Map<Integer, EventTrackerStatus> status = processor.processingStatus();
    if (status.isEmpty()) {
      return 0;
    }
    long lowest = Long.MAX_VALUE;
    for (EventTrackerStatus s : status.values()) {
      lowest = Math.min(lowest, s.getCurrentPosition().orElse(0));
    }
    return lowest;
  }

  private long headIndex() {
    Long head =
        jdbc.queryForObject(
            "SELECT coalesce(max(globalindex), 0) FROM domainevententry", Long.class);
    return head == null ? 0 : head;
  }

  private long countUpTo(long globalIndex) {
    Long count =
        jdbc.queryForObject(
            "SELECT count(*) FROM domainevententry WHERE globalindex <= ?",
            Long.class,
            globalIndex);
    return count == null ? 0 : count;
  }
}
