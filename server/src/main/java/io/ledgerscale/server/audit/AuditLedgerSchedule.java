// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.audit;

import io.ledgerscale.projections.ledger.CheckpointSigner;
import io.ledgerscale.projections.ledger.LedgerFollower;
import io.ledgerscale.server.config.AuditLedgerSettings;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.AxonThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Runs the follower and the signer on one background thread of their own, once the server is ready:
 * a failure (the database away) is logged and the next round tries again, and no command ever waits
 * for either.
 */
public class AuditLedgerSchedule implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(AuditLedgerSchedule.class);

  private final LedgerFollower follower;
  private final CheckpointSigner signer;
  private final AuditLedgerSettings settings;
  private ScheduledExecutorService executor;

  public AuditLedgerSchedule(
      LedgerFollower follower, CheckpointSigner signer, AuditLedgerSettings settings) {
    this.follower = follower;
    this.signer = signer;
    this.settings = settings;
  }

  @EventListener(ApplicationReadyEvent.class)
  public synchronized void start() {
    if (!settings.enabled || executor != null) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("audit-ledger"));
    long follow = settings.followEvery().toMillis();
    long sign = settings.checkpointEvery().toMillis();
    executor.scheduleWithFixedDelay(
        () -> run("follow", () -> follower.catchUp(20)), 0, follow, TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(
        () -> run("sign", signer::sign), sign, sign, TimeUnit.MILLISECONDS);
  }

  private static void run(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.warn("Audit ledger: {} failed, trying again later: {}", what, e.toString());
    }
  }

  @Override
  public synchronized void destroy() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
