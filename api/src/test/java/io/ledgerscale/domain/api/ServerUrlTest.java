// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerUrlTest {

  @Test
  void shouldDropTheTrailingSlashOnceSoEveryUrlIsBasePlusPath() {
    ServerUrl url = ServerUrl.parse("https://hs.example.com/");

    assertThat(url.base()).isEqualTo("https://hs.example.com");
    assertThat(url.registerUrl("a1")).isEqualTo("https://hs.example.com/register/a1");
    assertThat(url.sshCheckPageUrl("c1")).isEqualTo("https://hs.example.com/auth/c1");
    assertThat(url.oidcCallbackUrl()).isEqualTo("https://hs.example.com/oidc/callback");
    assertThat(url.authIdIn("https://hs.example.com/register/a1")).isEqualTo("a1");
    assertThat(url.authIdIn("https://elsewhere.example.com/register/a1")).isNull();
    assertThat(url).isEqualTo(ServerUrl.parse("https://hs.example.com"));
  }

  @Test
  void shouldNameItselfHttpsForNoiseFetchesEvenBehindPlainHttp() {
    assertThat(ServerUrl.parse("http://127.0.0.1:8080/").noiseBase())
        .isEqualTo("https://127.0.0.1:8080");
    assertThat(ServerUrl.parse("https://hs.example.com").noiseBase())
        .isEqualTo("https://hs.example.com");
  }

  @Test
  void shouldTakeThePortFromTheUrlOrItsScheme() {
    assertThat(ServerUrl.parse("http://hs.example.com").port()).isEqualTo(80);
    assertThat(ServerUrl.parse("https://hs.example.com").port()).isEqualTo(443);
    assertThat(ServerUrl.parse("https://hs.example.com:8443").port()).isEqualTo(8443);
    assertThat(ServerUrl.parse("http://[fd00::1]:8080").host()).isEqualTo("[fd00::1]");
  }

  @Test
  void shouldRefuseWhatNoClientCouldReach() {
    for (String bad :
        new String[] {
          null,
          " ",
          "hs.example.com",
          "ws://hs.example.com",
          "http://",
          "http://a b",
          "https://u:p@hs.example.com",
          "https://hs.example.com?x",
          "https://hs.example.com#x",
          "https://hs.example.com/" + "a".repeat(ServerUrl.MAX_LENGTH)
        }) {
      assertThatThrownBy(() -> ServerUrl.parse(bad))
          .as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
