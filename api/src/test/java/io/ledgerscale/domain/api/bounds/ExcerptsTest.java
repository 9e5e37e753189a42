// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcerptsTest {

  @Test
  void shouldKeepAShortCleanValueAsIs() {
    assertThat(Excerpts.of("alice")).isEqualTo("alice");
    assertThat(Excerpts.of(null)).isNull();
  }

  @Test
  void shouldCutALongValueAndSayHowLongItWas() {
    String excerpt = Excerpts.of("q".repeat(500_000));
    assertThat(excerpt).isEqualTo("q".repeat(64) + "… (500000 chars)");
  }

  @Test
  void shouldEscapeControlCharactersAndLoneSurrogates() {
    assertThat(Excerpts.of("a\u0000b\nc")).isEqualTo("a\\u0000b\\u000ac");
    assertThat(Excerpts.of("x\ud800")).isEqualTo("x\\ud800");
    assertThat(Excerpts.of("🚀")).isEqualTo("🚀");
  }

  @Test
  void shouldNeverSplitASurrogatePair() {
    String value = "q".repeat(63) + "🚀" + "q".repeat(10);
    String excerpt = Excerpts.of(value);
    assertThat(excerpt).startsWith("q".repeat(63) + "…");
    assertThat(InputBounds.firstIllegalChar(excerpt)).isEqualTo(-1);
  }
}
