// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@link DerpAdmission} again about every connected key, one key at a time, and closes the
 * connections of a key it now denies (its node was deleted, re-keyed or expired). A key it cannot
 * decide about stays connected until the next round: a connected client is not cut off because the
 * read model is briefly behind. A round that can decide about none of them tells the clients the
 * relay is unhealthy ({@link DerpRelay#judgeHealth}). The next round starts {@code interval} after
 * one ends, so a slow answer never piles rounds up.
 */
public final class AdmissionSweep implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdmissionSweep.class);
  private final DerpRelay relay;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "derp-admission-sweep");
            t.setDaemon(true);
            return t;
          });

  public AdmissionSweep(DerpRelay relay, Duration interval) {
    this.relay = relay;
    this.interval = interval;
  }

  public void start() {
    schedule();
  }

  private void schedule() {
    if (!timer.isShutdown()) {
      timer.schedule(this::round, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void round() {
    int[] decided = new int[2];
    next(relay.connectedKeys().iterator(), decided)
        .whenComplete(
            (v, e) -> {
              if (!timer.isShutdown()) {
                relay.judgeHealth(decided[0], decided[1]);
              }
              schedule();
            });
  }

  /** {@code decided}: keys decided so far this round, and keys not. */
  private CompletableFuture<Void> next(Iterator<RelayKey> keys, int[] decided) {
    if (!keys.hasNext() || timer.isShutdown()) {
      return CompletableFuture.completedFuture(null);
    }
    RelayKey key = keys.next();
    return relay
        .admission
        .check(key.nodeKeyText())
        .handle(
            (verdict, err) -> {
              boolean undecided = verdict == null || verdict == DerpAdmission.Verdict.UNDECIDED;
              decided[undecided ? 1 : 0]++;
              if (verdict == DerpAdmission.Verdict.DENY) {
                log.info("DERP: closing the connections of {}: no longer admitted", key);
                relay.closeKey(key);
              }
              return null;
            })
        .thenCompose(v -> next(keys, decided));
  }

  /**
   * Checks one key now, if it is connected (e.g. its node's map stream just ended, as it does when
   * the node is deleted), instead of waiting for the next round.
   */
  public void recheck(String nodeKeyText) {
    for (RelayKey key : relay.connectedKeys()) {
      if (key.nodeKeyText().equalsIgnoreCase(nodeKeyText)) {
        relay
            .admission
            .check(key.nodeKeyText())
            .thenAccept(
                verdict -> {
                  if (verdict == DerpAdmission.Verdict.DENY) {
                    log.info("DERP: closing the connections of {}: no longer admitted", key);
                    relay.closeKey(key);
                  }
                });
        return;
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
