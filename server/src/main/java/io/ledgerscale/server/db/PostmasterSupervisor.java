// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embedded postmaster and starts it again when it dies (kill -9, OOM killer, a crash).
 * PostgreSQL recovers its cluster from the WAL on that start, so every commit it acknowledged is
 * kept. Until old backends of the dead postmaster have exited the new one refuses to start; the
 * supervisor keeps trying, once a second, until it runs or this server stops.
 */
final class PostmasterSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostmasterSupervisor.class);
  static final long CHECK_MILLIS = 250;
  private static final long RETRY_MILLIS = 1000;

  private final EmbeddedPostgresServer server;
  private final ScheduledExecutorService thread;
  private final List<Runnable> onRestart = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private volatile boolean closed;

  private PostmasterSupervisor(EmbeddedPostgresServer server) {
    this.server = server;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "postgres-supervisor");
              t.setDaemon(true);
              return t;
            });
  }

  static PostmasterSupervisor watch(EmbeddedPostgresServer server) {
    PostmasterSupervisor supervisor = new PostmasterSupervisor(server);
    supervisor.thread.scheduleWithFixedDelay(
        supervisor::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    return supervisor;
  }

  boolean running() {
    return running;
  }

  void onRestart(Runnable action) {
    onRestart.add(action);
  }

  private void check() {
    if (closed || server.postmasterAlive()) {
      return;
    }
    running = false;
    long died = System.nanoTime();
    log.error(
        "The embedded PostgreSQL (pid {}) has exited; starting it again on port {}",
        server.postmasterPid(),
        server.port());
    while (!closed) {
      try {
        server.restart();
        running = true;
        log.warn(
            "The embedded PostgreSQL runs again (pid {}) after {} ms",
            server.postmasterPid(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died));
        onRestart.forEach(PostmasterSupervisor::runQuietly);
        return;
      } catch (Exception e) {
        log.warn("The embedded PostgreSQL did not start yet ({}); trying again", e.toString());
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("after the PostgreSQL restart: {}", e.toString(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
