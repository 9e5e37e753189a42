// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.limits;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per source: {@code burst} tokens at most, refilled at {@code perMinute}. A full
 * bucket is the same as no bucket, so full ones are forgotten and the table holds only sources that
 * spent something recently.
 */
public final class TokenBuckets {
  private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();
  private static final int SWEEP_EVERY = 1024;

  private final double perMinute;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new HashMap<>();
  private int sinceSweep;

  /** {@code perMinute} of 0 or less means no limit. */
  public TokenBuckets(double perMinute, int burst, LongSupplier nanoTime) {
    this.perMinute = perMinute;
    this.burst = Math.max(1, burst);
    this.nanoTime = nanoTime;
  }

  /** Takes a token: empty when one was there, else how long until the next one is. */
  public synchronized java.util.Optional<Duration> take(String source) {
    if (perMinute <= 0) {
      return java.util.Optional.empty();
    }
    long now = nanoTime.getAsLong();
    if (++sinceSweep >= SWEEP_EVERY) {
      sweep(now);
    }
    Bucket b = buckets.get(source);
    double tokens = b == null ? burst : refilled(b, now);
    if (tokens >= 1) {
      buckets.put(source, new Bucket(tokens - 1, now));
      return java.util.Optional.empty();
    }
    buckets.put(source, new Bucket(tokens, now));
    long wait = (long) Math.ceil((1 - tokens) * NANOS_PER_MINUTE / perMinute);
    return java.util.Optional.of(Duration.ofNanos(wait));
  }

  private record Bucket(double tokens, long at) {}

  private double refilled(Bucket b, long now) {
    return Math.min(burst, b.tokens() + (now - b.at()) * perMinute / NANOS_PER_MINUTE);
  }

  private void sweep(long now) {
    sinceSweep = 0;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (refilled(it.next(), now) >= burst) {
        it.remove();
      }
    }
  }

  synchronized int tracked() {
    return buckets.size();
  }
}
