// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Projections are updated asynchronously; tests wait for the read side to show what a command did.
 */
public final class Eventually {
  private Eventually() {}

  public static <T> T await(Supplier<T> read, Predicate<T> until) {
    return await(read, until, Duration.ofSeconds(30));
  }

  public static <T> T await(Supplier<T> read, Predicate<T> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T value = read.get();
    while (!until.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "read side did not reach the expected state within " + timeout + "; last: " + value);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      value = read.get();
    }
    return value;
  }
}
