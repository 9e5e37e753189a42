// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The "db" health indicator: can a pooled connection be had and validated within {@link
 * #ANSWER_MILLIS}? A dead embedded postmaster is DOWN at once. Only one probe runs at a time; a
 * caller arriving while one is under way waits for that one, so a flood of /health requests cannot
 * pile up on the pool. It also probes in the background, to tell when the database came back.
 */
public final class DatabaseProbe implements HealthIndicator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);
  static final long ANSWER_MILLIS = 1000;
  private static final long BACKGROUND_MILLIS = 1000;

  private final DataSource dataSource;
  private final EmbeddedPostgresServer embedded;
  private final ScheduledExecutorService thread;
  private final ExecutorService prober;
  private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();
  private CompletableFuture<Boolean> inFlight;
  private volatile boolean wasUp = true;
  private volatile boolean lastProbeAnswered = true;

  public DatabaseProbe(DataSource dataSource, EmbeddedPostgresServer embedded) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "database-probe");
              t.setDaemon(true);
              return t;
            });
    this.prober =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "database-probe-check");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::watch, BACKGROUND_MILLIS, BACKGROUND_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code action} each time the database answers again after it did not. */
  public void onRecovery(Runnable action) {
    onRecovery.add(action);
  }

  @Override
  public Health health() {
    if (embedded != null && !embedded.running()) {
      return Health.down().withDetail("error", "the embedded PostgreSQL is restarting").build();
    }
    return reachable()
        ? Health.up().withDetail("database", "PostgreSQL").build()
        : Health.down()
            .withDetail("error", "no database connection within " + ANSWER_MILLIS + " ms")
            .build();
  }

  boolean reachable() {
    CompletableFuture<Boolean> probe;
    synchronized (this) {
      if (inFlight == null || inFlight.isDone()) {
        inFlight = CompletableFuture.supplyAsync(this::validConnection, prober);
      }
      probe = inFlight;
    }
    try {
      return probe.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception failed) {
      return false;
    }
  }

  private boolean validConnection() {
    boolean valid;
    try (Connection c = dataSource.getConnection()) {
      valid = c.isValid(1);
    } catch (Exception e) {
      valid = false;
    }
    lastProbeAnswered = valid;
    return valid;
  }

  /**
   * What the latest probe found, without waiting for a new one (at most about a second old): for
   * other health checks, which must not wait out the pool's connection timeout while the database
   * is away.
   */
  public boolean lastSeenUp() {
    return (embedded == null || embedded.running()) && lastProbeAnswered;
  }

  private void watch() {
    boolean up = (embedded == null || embedded.running()) && reachable();
    if (up && !wasUp) {
      log.warn("The database answers again");
      onRecovery.forEach(Runnable::run);
    } else if (!up && wasUp) {
      log.error("The database does not answer; requests that need it are refused with 503");
    }
    wasUp = up;
  }

  @Override
  public void close() {
    thread.shutdownNow();
    prober.shutdownNow();
  }
}
