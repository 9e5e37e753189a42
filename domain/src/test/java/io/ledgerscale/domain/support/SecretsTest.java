// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void canParseTheKeyItMadeAndMatchItsHash() {
    Secrets.NewKey key = Secrets.newKey(Secrets.PRE_AUTH_KEY);

    Secrets.PresentedKey presented = Secrets.parse(Secrets.PRE_AUTH_KEY, key.text()).orElseThrow();

    assertThat(presented.prefix()).isEqualTo(key.prefix());
    assertThat(Secrets.matches(presented.secret(), key.secretHash())).isTrue();
    assertThat(Secrets.matches(presented.secret() + "x", key.secretHash())).isFalse();
    assertThat(key.secretHash()).hasSize(64).doesNotContain(presented.secret());
  }

  @Test
  void shouldHashWithSha256() {
    // FIPS 180-2 test vector
    assertThat(Secrets.sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void cannotParseKeysOfAnotherKindOrShape() {
    Secrets.NewKey apiKey = Secrets.newKey(Secrets.API_KEY);

    assertThat(Secrets.parse(Secrets.PRE_AUTH_KEY, apiKey.text())).isEmpty();
    assertThat(Secrets.parse(Secrets.API_KEY, apiKey.text())).isPresent();
    assertThat(Secrets.parse(Secrets.PRE_AUTH_KEY, null)).isEmpty();
    assertThat(Secrets.parse(Secrets.PRE_AUTH_KEY, "lskey-auth-short")).isEmpty();
    assertThat(Secrets.parse(Secrets.PRE_AUTH_KEY, "lskey-auth-ABCDEFGHIJKL-secret")).isEmpty();
    assertThat(Secrets.parse(Secrets.PRE_AUTH_KEY, "lskey-auth-abcdefghijkl_secret")).isEmpty();
  }

  @Test
  void shouldMakeUrlSafeAuthIdsThatDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String authId = Secrets.newAuthId();
      assertThat(authId).matches("lskey-authreq-[A-Za-z0-9_-]{24}");
      assertThat(seen.add(authId)).isTrue();
    }
  }
}
