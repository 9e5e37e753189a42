// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.history;

import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.projections.node.NodeProjection;
import io.ledgerscale.projections.policy.PolicyProjection;
import io.ledgerscale.projections.support.StorableJdbcTemplate;
import io.ledgerscale.projections.user.UserProjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * The read models the live map reads (nodes, users, policy) as they stood at a past moment: a
 * throwaway schema is made with the projections' own migrations, every event recorded up to that
 * moment is fed, in store order, to the projections' own classes, and their own query handlers
 * answer on a private query bus. So a past answer is computed by the very code that computes a live
 * one; only what clients report (endpoints, online) is missing, since it is not recorded as events.
 * Each rebuild reads the store from the start, so at most {@link #AT_ONCE} run at a time and a
 * caller waits at most {@link #WAIT} for its turn.
 */
@Component
public class PointInTimeReadModels {
  static final int AT_ONCE = 1;
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MIGRATIONS = "classpath:db/migration/projections/*.sql";

  private final DataSource dataSource;
  private final EventStorageEngine events;
  private final Semaphore turns = new Semaphore(AT_ONCE, true);

  public PointInTimeReadModels(DataSource dataSource, EventStorageEngine events) {
    this.dataSource = dataSource;
    this.events = events;
  }

  /** The read models at {@code at}: a query gateway over them and how many events they hold. */
  public record Models(QueryGateway queries, long events) {}

  /** Rebuilds the read models at {@code at}, answers {@code use} from them, and drops them. */
  public <R> R at(Instant at, Function<Models, R> use) {
    try {
      if (!turns.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ServerBusyException("another point-in-time answer is being built", WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerBusyException("interrupted", WAIT);
    }
    String schema = "pit_" + HexFormat.of().formatHex(randomBytes());
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true);
      SingleConnectionDataSource one = new SingleConnectionDataSource(connection, true);
      StorableJdbcTemplate jdbc = new StorableJdbcTemplate(one);
      jdbc.execute("CREATE SCHEMA " + schema);
      try {
        jdbc.execute("SET search_path TO " + schema);
        for (Resource migration : migrations()) {
          jdbc.execute(migration.getContentAsString(StandardCharsets.UTF_8));
        }
        List<Object> projections =
            List.of(new NodeProjection(jdbc), new UserProjection(jdbc), new PolicyProjection(jdbc));
        long fed = feed(projections, at);
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        for (Object projection : projections) {
          new AnnotationQueryHandlerAdapter<>(projection).subscribe(bus);
        }
        return use.apply(new Models(DefaultQueryGateway.builder().queryBus(bus).build(), fed));
      } finally {
        jdbc.execute("RESET search_path");
        jdbc.execute("DROP SCHEMA " + schema + " CASCADE");
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot rebuild the read models: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      turns.release();
    }
  }

  /**
   * Every event recorded at or before {@code at}, in store order. Commit order and timestamps agree
   * closely but not strictly, so a later event is skipped, not a stop sign (as the policy reach
   * query does).
   */
  private long feed(List<Object> projections, Instant at) {
    List<AnnotationEventHandlerAdapter> adapters =
        projections.stream().map(AnnotationEventHandlerAdapter::new).toList();
    AtomicLong fed = new AtomicLong();
    try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(null, false)) {
      stream
          .filter(event -> !event.getTimestamp().isAfter(at))
          .forEachOrdered(
              event -> {
                fed.incrementAndGet();
                for (AnnotationEventHandlerAdapter adapter : adapters) {
                  if (adapter.canHandle(event)) {
                    try {
                      adapter.handle(event);
                    } catch (Exception e) {
                      throw new IllegalStateException(
                          "replaying " + event.getPayloadType().getSimpleName() + " failed", e);
                    }
                  }
                }
              });
    }
    return fed.get();
  }

  private static List<Resource> migrations() throws IOException {
    Resource[] found = new PathMatchingResourcePatternResolver().getResources(MIGRATIONS);
    return Arrays.stream(found)
        .sorted(Comparator.comparing(r -> versionOf(r.getFilename())))
        .toList();
  }

  /** Flyway's order: V<version>__name.sql, by version. */
  private static String versionOf(String filename) {
    String v = filename.substring(1, filename.indexOf("__"));
    return "0".repeat(Math.max(0, 20 - v.length())) + v;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }
}
