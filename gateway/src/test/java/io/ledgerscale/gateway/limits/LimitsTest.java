// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LimitsTest {
  @Test
  void shouldSpendTheBurstThenRefillAtTheRate() {
    AtomicLong now = new AtomicLong();
    TokenBuckets b = new TokenBuckets(60, 3, now::get); // one a second
    for (int i = 0; i < 3; i++) {
      assertThat(b.take("a")).isEmpty();
    }
    assertThat(b.take("a")).contains(Duration.ofSeconds(1));
    assertThat(b.take("b")).as("another source has its own bucket").isEmpty();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(b.take("a")).isEmpty();
    assertThat(b.take("a")).isPresent();
  }

  @Test
  void shouldForgetSourcesWhoseBucketIsFullAgain() {
    AtomicLong now = new AtomicLong();
    TokenBuckets b = new TokenBuckets(60, 1, now::get);
    for (int i = 0; i < 1000; i++) {
      b.take("10.0.0." + i);
    }
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    for (int i = 0; i < 1100; i++) {
      b.take("10.1.0." + i);
    }
    assertThat(b.tracked()).isLessThan(1100 + 1000);
  }

  @Test
  void shouldCapPerSourceAndInTotalAndCountAReleaseOnce() {
    SourceCounter c = new SourceCounter(3, 2);
    SourceCounter.Permit a1 = c.tryAcquire("a");
    assertThat(c.tryAcquire("a")).isNotNull();
    assertThat(c.tryAcquire("a")).isNull();
    assertThat(c.refusal("a")).isEqualTo(SourceCounter.Refusal.SOURCE);
    assertThat(c.tryAcquire("b")).isNotNull();
    assertThat(c.tryAcquire("c")).isNull();
    assertThat(c.refusal("c")).isEqualTo(SourceCounter.Refusal.TOTAL);
    a1.release();
    a1.release();
    assertThat(c.total()).isEqualTo(2);
    assertThat(c.tryAcquire("c")).isNotNull();
    assertThat(c.tryAcquire("d")).isNull();
  }

  @Test
  void shouldCountAWeightedPermitItsWeightInTotalAndOnceForItsSource() {
    SourceCounter c = new SourceCounter(10, 2);
    SourceCounter.Permit ws = c.tryAcquire("a", 5);
    assertThat(c.total()).isEqualTo(5);
    assertThat(c.of("a")).isEqualTo(1);
    assertThat(c.refusal("b", 6)).isEqualTo(SourceCounter.Refusal.TOTAL);
    assertThat(c.tryAcquire("b", 6)).isNull();
    assertThat(c.total()).isEqualTo(5);
    assertThat(c.tryAcquire("b", 5)).isNotNull();
    assertThat(c.tryAcquire("c")).isNull();
    ws.release();
    ws.release();
    assertThat(c.total()).isEqualTo(5);
    assertThat(c.tryAcquire("c")).isNotNull();
  }

  @Test
  void shouldKeepATenthOfTheFdLimitForEverythingButNoiseSessions() {
    assertThat(ResourceLimits.sessionsFor(20_000)).isEqualTo((20_000 - 2_000) / 2);
    assertThat(ResourceLimits.sessionsFor(1024)).isEqualTo((1024 - 512) / 2);
    assertThat(ResourceLimits.sessionsFor(-1)).isPositive();
  }

  @Test
  void shouldCountAnIpv6Slash64AsOneSource() {
    assertThat(SourceKey.of("2001:db8:1:2::1")).isEqualTo(SourceKey.of("2001:db8:1:2:ffff::9"));
    assertThat(SourceKey.of("2001:db8:1:3::1")).isNotEqualTo(SourceKey.of("2001:db8:1:2::1"));
    assertThat(SourceKey.of("192.0.2.1")).isEqualTo("192.0.2.1");
  }
}
