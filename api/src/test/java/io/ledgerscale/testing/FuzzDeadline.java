// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.testing;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one fuzz input with a deadline, so a hang is a finding instead of a stuck build. JUnit's
 * {@code @Timeout} cannot do this: under Surefire it bounds the whole fuzzing run, and it cuts
 * short Jazzer's agent installation. The input runs on one daemon thread; its own exception (or
 * error, such as a StackOverflowError) is rethrown as is, so Jazzer reports and deduplicates the
 * real failure.
 *
 * <p>The first input of a fuzzing run gets {@link #FIRST_INPUT} instead: it pays for loading and
 * instrumenting every class it reaches (all of Jackson, for a JSON target), which on a loaded
 * two-core machine can take longer than any hang bound worth having.
 */
public final class FuzzDeadline {
  private static final ExecutorService RUNNER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            return t;
          });

  private static final AtomicBoolean WARM = new AtomicBoolean();

  /** What the first input may take: class loading and instrumentation, on a loaded machine. */
  static final Duration FIRST_INPUT = Duration.ofMinutes(3);

  private FuzzDeadline() {}

  public interface Input {
    void run() throws Exception;
  }

  public static void run(Duration limit, Input input) throws Exception {
    boolean first = WARM.compareAndSet(false, true);
    Future<?> done =
        RUNNER.submit(
            () -> {
              input.run();
              return null;
            });
    try {
      Duration bound = first ? FIRST_INPUT : limit;
      done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      throw (Exception) cause;
    } catch (TimeoutException e) {
      done.cancel(true);
      throw new AssertionError(
          "one input ran longer than " + (first ? FIRST_INPUT : limit) + ": a hang");
    }
  }
}
