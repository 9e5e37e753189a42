// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Wakes the streaming event processors once the database is back. Axon's pooled processor backs off
 * after each failure, doubling up to a minute, and keeps a failed segment unclaimed for up to a
 * minute more; after an outage of a few seconds the projections would stand still that long.
 * Claiming each segment a processor does not hold lifts that pause and runs its coordinator at once
 * (Axon's own claim operation; the token, and so the position, is the stored one). It is repeated a
 * few times because work that failed during the outage may still be winding down.
 */
public final class ProcessorRecovery {
  private static final Logger log = LoggerFactory.getLogger(ProcessorRecovery.class);
  private static final long[] AFTER_MILLIS = {0, 2_000, 5_000, 10_000};

  private final ObjectProvider<EventProcessingConfiguration> processors;
  private final ObjectProvider<TokenStore> tokens;
  private final ObjectProvider<TransactionManager> transactions;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "processor-recovery");
            t.setDaemon(true);
            return t;
          });

  public ProcessorRecovery(
      ObjectProvider<EventProcessingConfiguration> processors,
      ObjectProvider<TokenStore> tokens,
      ObjectProvider<TransactionManager> transactions) {
    this.processors = processors;
    this.tokens = tokens;
    this.transactions = transactions;
  }

  public void resumeSoon() {
    for (long delay : AFTER_MILLIS) {
      thread.schedule(this::resume, delay, TimeUnit.MILLISECONDS);
    }
  }

  void resume() {
    EventProcessingConfiguration config = processors.getIfAvailable();
    TokenStore tokenStore = tokens.getIfAvailable();
    TransactionManager tx = transactions.getIfAvailable();
    if (config == null || tokenStore == null || tx == null) {
      return;
    }
    for (EventProcessor processor : config.eventProcessors().values()) {
      if (!(processor instanceof StreamingEventProcessor streaming) || !streaming.isRunning()) {
        continue;
      }
      try {
        Set<Integer> held = streaming.processingStatus().keySet();
        int[] segments = tx.fetchInTransaction(() -> tokenStore.fetchSegments(streaming.getName()));
        for (int segment : segments) {
          if (!held.contains(segment)) {
            log.info(
                "resuming {} segment {} after the database outage", streaming.getName(), segment);
            streaming.claimSegment(segment);
          }
        }
      } catch (RuntimeException e) {
        log.debug("cannot resume {} yet: {}", streaming.getName(), e.toString());
      }
    }
  }

  public void close() {
    thread.shutdownNow();
  }
}
