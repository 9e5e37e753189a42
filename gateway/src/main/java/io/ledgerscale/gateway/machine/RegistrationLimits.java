// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.limits.SourceKey;
import io.ledgerscale.gateway.limits.TokenBuckets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keyless registrations cost their sender nothing and the server a stored request (and an event)
 * each, so they are bounded before a command exists: a token bucket per source, and caps on the
 * requests still waiting for a login, in total and per source. A request counts as waiting for as
 * long as the domain keeps it open ({@link #PENDING_LIFETIME}); one approved sooner still counts
 * until then, which errs on the side of refusing. Counted per server instance.
 */
public final class RegistrationLimits {
  /** How long the domain keeps a registration request open (InteractiveRegistration). */
  static final Duration PENDING_LIFETIME = Duration.ofMinutes(15);

  private final TokenBuckets rate;
  private final int maxPending;
  private final int maxPendingPerSource;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Held> pending = new ArrayDeque<>(); // oldest first
  private final Map<String, Integer> pendingBySource = new HashMap<>();

  private record Held(String source, long until) {}

  public RegistrationLimits(ResourceLimits limits) {
    this(limits, System::nanoTime);
  }

  RegistrationLimits(ResourceLimits limits, LongSupplier nanoTime) {
    this.rate =
        new TokenBuckets(
            limits.registrationsPerMinutePerSource(),
            limits.registrationBurstPerSource(),
            nanoTime);
    this.maxPending =
        limits.maxPendingRegistrations() <= 0
            ? Integer.MAX_VALUE
            : limits.maxPendingRegistrations();
    this.maxPendingPerSource =
        limits.maxPendingRegistrationsPerSource() <= 0
            ? Integer.MAX_VALUE
            : limits.maxPendingRegistrationsPerSource();
    this.nanoTime = nanoTime;
  }

  /** A refusal by these limits; its message is for the client (it names no one else). */
  public static final class Refused extends ServerBusyException {
    Refused(String message, Duration retryAfter) {
      super(message, retryAfter);
    }
  }

  /** A slot for one new registration request from {@code ip}; give it back if none was made. */
  public interface Slot {
    void release();
  }

  /**
   * Takes a slot for a new registration request from {@code ip}.
   *
   * @throws Refused with the time after which asking again can succeed
   */
  public synchronized Slot admit(String ip) {
    String source = SourceKey.of(ip);
    long now = nanoTime.getAsLong();
    expire(now);
    if (pending.size() >= maxPending) {
      throw new Refused("too many registrations waiting for a login", untilFirstExpiry(null, now));
    }
    if (pendingBySource.getOrDefault(source, 0) >= maxPendingPerSource) {
      throw new Refused(
          "too many registrations from your address waiting for a login",
          untilFirstExpiry(source, now));
    }
    // the bucket last, so a request refused for a full queue does not also spend a token
    var wait = rate.take(source);
    if (wait.isPresent()) {
      throw new Refused("too many registration requests from your address", wait.get());
    }
    Held held = new Held(source, now + PENDING_LIFETIME.toNanos());
    pending.addLast(held);
    pendingBySource.merge(source, 1, Integer::sum);
    return () -> release(held);
  }

  private synchronized void release(Held held) {
    if (pending.remove(held)) {
      pendingBySource.computeIfPresent(held.source(), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private void expire(long now) {
    while (!pending.isEmpty() && pending.peekFirst().until() - now <= 0) {
      Held h = pending.pollFirst();
      pendingBySource.computeIfPresent(h.source(), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private Duration untilFirstExpiry(String source, long now) {
    for (Held h : pending) {
      if (source == null || h.source().equals(source)) {
        return Duration.ofNanos(Math.max(0, h.until() - now));
      }
    }
    return Duration.ofSeconds(1);
  }

  synchronized int pending() {
    return pending.size();
  }
}
