// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells whether a read model has processed every event of some types that the event store holds, so
 * that "this read model does not know it" may be taken as "it does not exist".
 *
 * <p>The question is not whether the processor's token reached the head of the store: a processor
 * stores the token of events it has no handler for only every few seconds, so after unrelated
 * writes it would look behind for that long. Instead: is there a committed event of one of the
 * types after the token's position, or in one of its gaps? That is one indexed query over the few
 * events since the token. Every segment's token counts, the lowest one decides, and during a replay
 * only what the replay has passed.
 *
 * <p>The wait is bounded in time and in how many requests may wait at once: a caller that cannot be
 * answered is refused with a retry (fail closed), and unknown credentials sent in bulk cannot hold
 * every request thread.
 */
@Component
public class ReadModelCatchUp {
  private static final Logger log = LoggerFactory.getLogger(ReadModelCatchUp.class);

  /** How long a caller waits for a read model before it is refused with a retry. */
  static final Duration MAX_WAIT = Duration.ofSeconds(2);

  /** Callers waiting at once; beyond that a caller is refused with a retry at once. */
  static final int MAX_WAITERS = 8;

  /** A read model this many events behind is not caught up, whatever their types. */
  static final long MAX_EVENTS_BEHIND = 10_000;

  private static final Duration POLL = Duration.ofMillis(20);

  private final JdbcTemplate jdbc;
  private final Serializer serializer;
  private final Semaphore waiters = new Semaphore(MAX_WAITERS);

  public ReadModelCatchUp(JdbcTemplate jdbc, Serializer serializer) {
    this.jdbc = jdbc;
    this.serializer = serializer;
  }

  /**
   * True once {@code processor} has processed every stored event of {@code eventTypes}; false if it
   * has not within {@link #MAX_WAIT}, or if too many callers are already waiting.
   */
  public boolean await(String processor, Collection<Class<?>> eventTypes) {
    String[] types = eventTypes.stream().map(Class::getName).toArray(String[]::new);
    if (caughtUp(processor, types)) {
      return true;
    }
    if (!waiters.tryAcquire()) {
      log.debug("read model {} is behind and {} callers wait already", processor, MAX_WAITERS);
      return false;
    }
    try {
      long deadline = System.nanoTime() + MAX_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
        if (caughtUp(processor, types)) {
          return true;
        }
      }
      log.warn(
          "read model {} has not processed every {} after {} ms; refusing what it cannot answer",
          processor,
          List.of(types),
          MAX_WAIT.toMillis());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiters.release();
    }
  }

  boolean caughtUp(String processor, String[] types) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT token, tokentype FROM tokenentry WHERE processorname = ?", processor);
    if (rows.isEmpty()) {
      return false;
    }
    long position = Long.MAX_VALUE;
    TreeSet<Long> gaps = new TreeSet<>();
    for (Map<String, Object> row : rows) {
      TrackingToken token = lowerBound((byte[]) row.get("token"), (String) row.get("tokentype"));
      if (token == null || token.position().isEmpty()) {
        return false;
      }
      position = Math.min(position, token.position().getAsLong());
      if (token instanceof GapAwareTrackingToken g) {
        gaps.addAll(g.getGaps());
      }
    }
    Long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
    if (head == null || (head <= position && gaps.isEmpty())) {
      return true;
    }
    if (head - position > MAX_EVENTS_BEHIND) {
      return false;
    }
    Boolean pending =
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM domainevententry WHERE globalindex > ? AND payloadtype = ANY (?))",
            Boolean.class,
            position,
            types);
    if (Boolean.TRUE.equals(pending)) {
      return false;
    }
    if (gaps.isEmpty()) {
      return true;
    }
    Boolean inGap =
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM domainevententry WHERE globalindex = ANY (?) AND payloadtype = ANY (?))",
            Boolean.class,
            gaps.toArray(Long[]::new),
            types);
    return !Boolean.TRUE.equals(inGap);
  }

  private TrackingToken lowerBound(byte[] token, String type) {
    if (token == null || type == null) {
      return null;
    }
    TrackingToken t =
        serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
    // during a replay the read model is rebuilt: only what the replay has passed is in it
    return WrappedToken.unwrapLowerBound(t);
  }
}
