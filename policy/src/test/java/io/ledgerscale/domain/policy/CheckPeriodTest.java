// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An SSH check period is refused when the policy is set, not when a node's SSH policy is built. */
class CheckPeriodTest {

  private static Policy withCheckPeriod(String value) {
    return Policy.parse(
        "{\"tagOwners\": {\"tag:s\": [\"a@example.com\"]}, \"ssh\": [{\"action\": \"check\", "
            + "\"src\": [\"a@example.com\"], \"dst\": [\"tag:s\"], \"users\": [\"root\"], \"checkPeriod\": "
            + value
            + "}]}");
  }

  @Test
  void canUseGoDurationsUpToAWeek() {
    assertThat(withCheckPeriod("\"168h\"").ssh().get(0).checkPeriod()).isEqualTo("168h");
    assertThat(withCheckPeriod("\"1h30m\"").ssh()).hasSize(1);
    assertThat(withCheckPeriod("\"0s\"").ssh()).hasSize(1);
    assertThat(withCheckPeriod("\"always\"").ssh()).hasSize(1);
    assertThat(withCheckPeriod("null").ssh().get(0).checkPeriod()).isNull();
  }

  @Test
  void cannotUseMalformedNegativeOrTooLongPeriods() {
    assertThatThrownBy(() -> withCheckPeriod("\"abc\""))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("time: invalid duration \"abc\"");
    assertThatThrownBy(() -> withCheckPeriod("\"-1m\""))
        .hasMessageContaining("checkPeriod -1m0s must be a positive duration");
    assertThatThrownBy(() -> withCheckPeriod("\"200h\""))
        .hasMessageContaining("checkPeriod 200h0m0s is above the max (168h)");
    assertThatThrownBy(() -> withCheckPeriod("\"168h0m1s\""))
        .hasMessageContaining("checkPeriod 168h0m1s is above the max (168h)");
  }

  @Test
  void shouldReadAndWriteDurationsAsGoDoes() {
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("90m30s")).isEqualTo(Duration.ofSeconds(90 * 60 + 30));
    assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.format(Duration.ofHours(200))).isEqualTo("200h0m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(GoDuration.format(Duration.ofMinutes(-1))).isEqualTo("-1m0s");
    assertThatThrownBy(() -> GoDuration.parse("1d")).hasMessage("time: invalid duration \"1d\"");
    assertThatThrownBy(() -> GoDuration.parse("")).hasMessage("time: invalid duration \"\"");
  }
}
