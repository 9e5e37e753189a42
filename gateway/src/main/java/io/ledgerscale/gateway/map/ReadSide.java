// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.query.CheckTailnetReadModelsQuery;
import java.time.Duration;
import java.util.OptionalLong;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the tailnet read models have processed an event, by asking the projections module
 * whether their tokens cover the event's global index. The question is one small query on the token
 * table, asked every {@link #CHECK_EVERY} until yes; the map itself re-reads nothing until then,
 * and then only what changed.
 */
public final class ReadSide {
  private static final Logger log = LoggerFactory.getLogger(ReadSide.class);
  static final Duration CHECK_EVERY = Duration.ofMillis(10);

  /**
   * A read model that is stuck (or replaying a long history) must not hold the map back for ever.
   */
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(5);

  private final QueryGateway queries;

  public ReadSide(QueryGateway queries) {
    this.queries = queries;
  }

  /**
   * Returns once the event at {@code token} is in the read models, or after {@link #GIVE_UP_AFTER}.
   */
  public void awaitProcessed(TrackingToken token, Class<?> eventType) {
    OptionalLong index = token == null ? OptionalLong.empty() : token.position();
    if (index.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    long deadline = start + GIVE_UP_AFTER.toNanos();
    CheckTailnetReadModelsQuery q =
        new CheckTailnetReadModelsQuery(index.getAsLong(), eventType.getName());
    while (true) {
      try {
        if (Boolean.TRUE.equals(queries.query(q, Boolean.class).join())) {
          log.debug(
              "read models had event {} ({}) after {} ms",
              index.getAsLong(),
              eventType.getSimpleName(),
              (System.nanoTime() - start) / 1_000_000);
          return;
        }
      } catch (RuntimeException e) {
        log.debug("read model progress unknown: {}", e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        log.warn(
            "the read models have not processed event {} ({}) after {} s; the map goes ahead",
            index.getAsLong(),
            eventType.getSimpleName(),
            GIVE_UP_AFTER.toSeconds());
        return;
      }
      try {
        Thread.sleep(CHECK_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
