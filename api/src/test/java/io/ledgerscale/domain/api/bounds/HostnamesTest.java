// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostnamesTest {

  @Test
  void shouldKeepAHostnameThatIsAlreadyALabel() {
    assertThat(Hostnames.sanitise("laptop-2")).isEqualTo("laptop-2");
  }

  @Test
  void shouldLowerCaseAndTurnOtherCharactersIntoOneDashAsTailscaleDoes() {
    assertThat(Hostnames.sanitise("Alice's MacBook Pro")).isEqualTo("alice-s-macbook-pro");
    assertThat(Hostnames.sanitise("web_01.prod")).isEqualTo("web-01-prod");
    assertThat(Hostnames.sanitise("--edge--")).isEqualTo("edge");
    assertThat(Hostnames.sanitise("büro")).isEqualTo("b-ro");
  }

  @Test
  void shouldDropTheCommonLocalSuffixes() {
    assertThat(Hostnames.sanitise("printer.local")).isEqualTo("printer");
    assertThat(Hostnames.sanitise("nas.localdomain")).isEqualTo("nas");
    assertThat(Hostnames.sanitise("pi.LAN")).isEqualTo("pi");
  }

  @Test
  void shouldTurnANulOrAnyControlCharacterIntoADash() {
    assertThat(Hostnames.sanitise("evil\u0000host")).isEqualTo("evil-host");
    assertThat(Hostnames.sanitise("a\r\nb\u007fc\u0085d")).isEqualTo("a-b-c-d");
  }

  @Test
  void shouldCutAHugeHostnameToALabelOf63() {
    String huge = "q".repeat(500_000);
    assertThat(Hostnames.sanitise(huge)).isEqualTo("q".repeat(63));
    assertThat(Hostnames.sanitise("q".repeat(3_000))).hasSize(63);
  }

  @Test
  void shouldNeverEndWithADashWhenTheCutFallsOnASeparator() {
    String name = "a".repeat(62) + ".bcd";
    String label = Hostnames.sanitise(name);
    assertThat(label).isEqualTo("a".repeat(62));
    assertThat(InputBounds.isDnsLabel(label)).isTrue();
  }

  @Test
  void shouldAnswerEmptyForNothingUsable() {
    assertThat(Hostnames.sanitise(null)).isEmpty();
    assertThat(Hostnames.sanitise("\u0000\u0000")).isEmpty();
    assertThat(Hostnames.sanitise("日本")).isEmpty();
  }

  @Test
  void shouldAlwaysGiveAValidLabelOrNothing() {
    String[] samples = {
      "x", "-", "a-", "-a", "a..b", "A_B_C", "1.2.3.4", "x".repeat(64), "a b\u0000c"
    };
    for (String sample : samples) {
      String label = Hostnames.sanitise(sample);
      assertThat(label.isEmpty() || InputBounds.isDnsLabel(label)).as(sample).isTrue();
    }
  }
}
