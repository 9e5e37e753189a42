// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void canParseHeadscaleDefaults() {
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("90d")).isEqualTo(Duration.ofDays(90));
    assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void canParseCombinedUnits() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2w1d")).isEqualTo(Duration.ofDays(15));
    assertThat(Durations.parse("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(Durations.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void cannotParseAnythingElse() {
    assertThatThrownBy(() -> Durations.parse("ten days"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("ten days");
    assertThatThrownBy(() -> Durations.parse("-1h")).isInstanceOf(CliException.class);
    assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(CliException.class);
  }
}
