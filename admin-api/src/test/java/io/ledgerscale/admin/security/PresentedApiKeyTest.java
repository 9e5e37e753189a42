// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PresentedApiKeyTest {
  private static final String SECRET = "Zm9vLWJhcl9iYXo-c2VjcmV0LXdpdGgtZGFzaGVz_x";

  @Test
  void canSplitAKeyWhoseSecretHoldsDashes() {
    PresentedApiKey key = PresentedApiKey.parse("lskey-api-abcdef123456-" + SECRET).orElseThrow();

    assertThat(key.prefix()).isEqualTo("abcdef123456");
    assertThat(key.matches(hex(SECRET))).isTrue();
    assertThat(key.toString()).isEqualTo("lskey-api-abcdef123456-***").doesNotContain(SECRET);
  }

  @Test
  void cannotMatchAnotherSecret() {
    PresentedApiKey key =
        PresentedApiKey.parse("lskey-api-abcdef123456-" + SECRET + "x").orElseThrow();

    assertThat(key.matches(hex(SECRET))).isFalse();
    assertThat(key.matches(null)).isFalse();
    assertThat(key.matches("not a hash")).isFalse();
    assertThat(key.matches(hex(SECRET + "x").toUpperCase())).isFalse();
  }

  @Test
  void cannotParseOtherShapes() {
    assertThat(PresentedApiKey.parse(null)).isEmpty();
    assertThat(PresentedApiKey.parse("hskey-api-abcdef123456-" + SECRET)).isEmpty();
    assertThat(PresentedApiKey.parse("lskey-auth-abcdef123456-" + SECRET)).isEmpty();
    assertThat(PresentedApiKey.parse("lskey-api-short-" + SECRET)).isEmpty();
    assertThat(PresentedApiKey.parse("lskey-api-abcdef123456-")).isEmpty();
    assertThat(PresentedApiKey.parse("lskey-api-abcdef123456-" + "x".repeat(300))).isEmpty();
  }

  private static String hex(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
