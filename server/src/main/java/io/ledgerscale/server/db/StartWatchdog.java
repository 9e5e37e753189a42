// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * zonky waits its whole startup timeout for a postmaster that already died (killed again, or
 * refused to start). This watches the new postmaster's pid file while zonky waits and interrupts
 * the waiting thread as soon as that postmaster is gone; zonky then returns at once, and the
 * caller's own check of the new server fails and is retried.
 */
final class StartWatchdog {
  private final Thread thread;
  private volatile boolean stopped;

  private StartWatchdog(Path pidFile, long previousPid, Thread waiter) {
    this.thread =
        new Thread(
            () -> {
              while (!stopped) {
                try {
                  Thread.sleep(PostmasterSupervisor.CHECK_MILLIS);
                  Optional<Long> pid = EmbeddedPostgresServer.readPid(pidFile);
                  if (pid.isPresent()
                      && pid.get() != previousPid
                      && !ProcessLiveness.alive(pid.get())) {
                    if (!stopped) {
                      waiter.interrupt();
                    }
                    return;
                  }
                } catch (InterruptedException e) {
                  return;
                } catch (IOException | RuntimeException unreadable) {
                  // the pid file is being written; look again
                }
              }
            },
            "postgres-start-watchdog");
    thread.setDaemon(true);
  }

  static StartWatchdog watch(Path pidFile, long previousPid) {
    StartWatchdog watchdog = new StartWatchdog(pidFile, previousPid, Thread.currentThread());
    watchdog.thread.start();
    return watchdog;
  }

  /** Stops watching and clears an interrupt meant only for zonky's wait. */
  void stop() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Thread.interrupted();
  }
}
