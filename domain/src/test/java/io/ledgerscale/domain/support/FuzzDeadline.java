// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz input with a deadline, so a hang is a finding instead of a stuck build. JUnit's
 * {@code @Timeout} cannot do this: under Surefire it bounds the whole fuzzing run, and it cuts
 * short Jazzer's agent installation. The input runs on one daemon thread; its own exception (or
 * error, such as a StackOverflowError) is rethrown as is, so Jazzer reports and deduplicates the
 * real failure.
 */
public final class FuzzDeadline {
  private static final ExecutorService RUNNER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            return t;
          });

  private FuzzDeadline() {}

  public interface Input {
    void run() throws Exception;
  }

  public static void run(Duration limit, Input input) throws Exception {
    Future<?> done =
        RUNNER.submit(
            () -> {
              input.run();
              return null;
            });
    try {
      done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      throw (Exception) cause;
    } catch (TimeoutException e) {
      done.cancel(true);
      throw new AssertionError("one input ran longer than " + limit + ": a hang");
    }
  }
}
