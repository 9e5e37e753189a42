// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits until something observable turns true, and says how long that took. */
public final class Poll {
  private Poll() {}

  /**
   * Milliseconds until {@code condition} held; fails with {@code what} (evaluated then) after the
   * timeout.
   */
  public static long until(
      Duration timeout, long intervalMs, Supplier<Boolean> condition, Supplier<String> what) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      Boolean ok;
      try {
        ok = condition.get();
      } catch (RuntimeException notYet) {
        ok = false;
      }
      if (Boolean.TRUE.equals(ok)) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what.get());
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
