// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.api.ServerBusyException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * How many commands may hold a database connection at once. Every command opens its transaction
 * (and so takes a pooled connection) before it queues for the Tailnet aggregate's lock, so without
 * a bound a burst of registrations holds the whole pool while waiting on each other, and
 * projections, queries and the rest of the burst time out on the pool instead. Commands queue here
 * first, in arrival order and holding nothing, and a command that cannot get in within {@code
 * maxWait} is refused with {@link ServerBusyException} before anything was done.
 */
public final class CommandGate {
  private final Semaphore permits;
  private final int size;
  private final Duration maxWait;
  private final Duration retryAfter;
  private final AtomicLong refused = new AtomicLong();
  // metrics are optional (CommandGateMetrics sets this when Micrometer is there; unit tests): a
  // gate without them still bounds the commands, it only records nothing
  private volatile LongConsumer waits = nanos -> {};

  public CommandGate(int size, Duration maxWait, Duration retryAfter) {
    if (size < 1) {
      throw new IllegalArgumentException("a command gate needs at least one permit, not " + size);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("a command gate's wait cannot be negative");
    }
    this.permits = new Semaphore(size, true);
    this.size = size;
    this.maxWait = maxWait;
    this.retryAfter = retryAfter;
  }

  /** How many commands may run at once. */
  public int size() {
    return size;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** Commands waiting for a permit right now (an estimate, for logs and metrics). */
  public int waiting() {
    return permits.getQueueLength();
  }

  /** Commands refused as busy since the server started. */
  public long refused() {
    return refused.get();
  }

  /** Where each command's wait for a permit goes (in nanoseconds), refused ones included. */
  public void observeWaitsWith(LongConsumer observer) {
    this.waits = observer;
  }

  /** Commands running right now. */
  public int running() {
    return size - permits.availablePermits();
  }

  /**
   * Waits for a permit, at most {@code maxWait}; the caller must {@link #leave()} once its command
   * has finished.
   *
   * @throws ServerBusyException when no permit came free in time (or the wait was interrupted)
   */
  public void enter(String commandName) {
    boolean entered;
    long start = System.nanoTime();
    try {
      entered = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy(commandName, "interrupted while waiting to run");
    } finally {
      waits.accept(System.nanoTime() - start);
    }
    if (!entered) {
      throw busy(
          commandName, "waited " + maxWait.toMillis() + " ms behind " + size + " running commands");
    }
  }

  public void leave() {
    permits.release();
  }

  private ServerBusyException busy(String commandName, String why) {
    refused.incrementAndGet();
    return new ServerBusyException(
        "server busy: "
            + shortName(commandName)
            + " not run ("
            + why
            + "); nothing was changed, retry after "
            + retryAfter.toSeconds()
            + " s",
        retryAfter);
  }

  private static String shortName(String commandName) {
    int dot = commandName.lastIndexOf('.');
    return dot < 0 ? commandName : commandName.substring(dot + 1);
  }
}
