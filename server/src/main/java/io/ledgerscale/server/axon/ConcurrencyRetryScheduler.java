// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a command that lost a race: another writer appended to the same event stream first (two
 * commands on the Tailnet aggregate, or two server instances). Only ConcurrencyException is
 * retried; a refusal or a bug is never re-run, because re-running a refused command would record
 * the refusal twice. Back-off grows with jitter so competing retries spread out.
 */
public class ConcurrencyRetryScheduler implements RetryScheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConcurrencyRetryScheduler.class);
  private final ScheduledExecutorService executor;
  private final int maxRetries;
  private final long baseDelayMillis;

  public ConcurrencyRetryScheduler(
      ScheduledExecutorService executor, int maxRetries, long baseDelayMillis) {
    this.executor = executor;
    this.maxRetries = maxRetries;
    this.baseDelayMillis = baseDelayMillis;
  }

  @Override
  public boolean scheduleRetry(
      CommandMessage commandMessage,
      RuntimeException lastFailure,
      List<Class<? extends Throwable>[]> failures,
      Runnable commandDispatch) {
    if (ExceptionUtils.findException(lastFailure, ConcurrencyException.class).isEmpty()
        || failures.size() > maxRetries) {
      return false;
    }
    long ceiling = baseDelayMillis << Math.min(failures.size() - 1, 6);
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    log.debug(
        "{} lost a concurrent update (attempt {}); retrying in {} ms",
        commandMessage.getCommandName(),
        failures.size(),
        delay);
    try {
      executor.schedule(commandDispatch, delay, TimeUnit.MILLISECONDS);
      return true;
    } catch (RuntimeException e) {
      return false; // executor shut down: let the failure through
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
