// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts things held at once (connections, sessions), in total and per source, and refuses a new
 * one over either cap. A refused acquire leaves the counts as they were. Each thing counts once per
 * source; towards the total it counts its weight, for things that cost more than one of the
 * resource the total protects (a WebSocket Noise session holds five file descriptors, a plain one
 * one).
 */
public final class SourceCounter {
  private final int maxTotal;
  private final int maxPerSource;
  private final ConcurrentHashMap<String, Integer> perSource = new ConcurrentHashMap<>();
  private int total;

  /** A cap of 0 or less means no cap. */
  public SourceCounter(int maxTotal, int maxPerSource) {
    this.maxTotal = maxTotal <= 0 ? Integer.MAX_VALUE : maxTotal;
    this.maxPerSource = maxPerSource <= 0 ? Integer.MAX_VALUE : maxPerSource;
  }

  /** One held slot; {@link #release()} may be called any number of times, it counts once. */
  public final class Permit {
    private final String source;
    private final int weight;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(String source, int weight) {
      this.source = source;
      this.weight = weight;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        synchronized (SourceCounter.this) {
          total -= weight;
          perSource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
        }
      }
    }
  }

  /** Why an acquire was refused. */
  public enum Refusal {
    SOURCE,
    TOTAL
  }

  /** A permit, or null when {@code source} or everyone together is at the cap. */
  public synchronized Permit tryAcquire(String source) {
    return tryAcquire(source, 1);
  }

  /** A permit counting {@code weight} towards the total, or null as {@link #tryAcquire(String)}. */
  public synchronized Permit tryAcquire(String source, int weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1: " + weight);
    }
    return refusal(source, weight) == null ? take(source, weight) : null;
  }

  /** What would refuse {@code source} now, or null. */
  public synchronized Refusal refusal(String source) {
    return refusal(source, 1);
  }

  /** What would refuse {@code source} a permit of {@code weight} now, or null. */
  public synchronized Refusal refusal(String source, int weight) {
    if (total > maxTotal - weight) {
      return Refusal.TOTAL;
    }
    return perSource.getOrDefault(source, 0) >= maxPerSource ? Refusal.SOURCE : null;
  }

  private Permit take(String source, int weight) {
    total += weight;
    perSource.merge(source, 1, Integer::sum);
    return new Permit(source, weight);
  }

  public synchronized int total() {
    return total;
  }

  public synchronized int of(String source) {
    return perSource.getOrDefault(source, 0);
  }

  public int maxTotal() {
    return maxTotal;
  }
}
