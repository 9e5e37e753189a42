// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.gateway.limits.ResourceLimits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegistrationLimitsTest {
  private final AtomicLong now = new AtomicLong();

  private RegistrationLimits limits(double perMinute, int burst, int maxPending, int perSource) {
    ResourceLimits d = ResourceLimits.defaults();
    return new RegistrationLimits(
        new ResourceLimits(
            d.requestHeaderTimeout(),
            d.noRequestTimeout(),
            d.connectionIdleTimeout(),
            d.noiseHandshakeTimeout(),
            d.noiseIdleTimeout(),
            0,
            0,
            perMinute,
            burst,
            maxPending,
            perSource),
        now::get);
  }

  @Test
  void shouldRateLimitOneSourceWithARetryAfter() {
    RegistrationLimits l = limits(6, 2, 100, 100);
    l.admit("192.0.2.1");
    l.admit("192.0.2.1");
    assertThatThrownBy(() -> l.admit("192.0.2.1"))
        .isInstanceOfSatisfying(
            ServerBusyException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10)));
    l.admit("192.0.2.2");
  }

  @Test
  void shouldCapPendingPerSourceAndInTotalUntilTheyExpire() {
    RegistrationLimits l = limits(0, 1, 3, 2);
    l.admit("192.0.2.1");
    l.admit("192.0.2.1");
    assertThatThrownBy(() -> l.admit("192.0.2.1")).isInstanceOf(ServerBusyException.class);
    RegistrationLimits.Slot third = l.admit("192.0.2.2");
    assertThatThrownBy(() -> l.admit("192.0.2.3"))
        .isInstanceOfSatisfying(
            ServerBusyException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(RegistrationLimits.PENDING_LIFETIME));
    third.release();
    l.admit("192.0.2.3");
    now.addAndGet(RegistrationLimits.PENDING_LIFETIME.toNanos());
    assertThat(l.pending()).isEqualTo(3);
    l.admit("192.0.2.1");
    assertThat(l.pending()).isEqualTo(1);
  }
}
