// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

class OidcLoginTest {

  private static OAuth2AuthorizationRequest request(OidcProperties properties) {
    OAuth2AuthorizationRequest.Builder builder =
        OAuth2AuthorizationRequest.authorizationCode()
            .authorizationUri("https://idp/authorize")
            .clientId("c")
            .redirectUri("https://ls/oidc/callback")
            .state("st");
    new OidcLogin(properties, null, null).customizer().accept(builder);
    return builder.build();
  }

  private static OidcProperties props(boolean pkce, String method, Map<String, String> extra) {
    return new OidcProperties(
        "https://idp/",
        "c",
        "s",
        true,
        List.of("openid"),
        extra,
        List.of(),
        List.of(),
        List.of(),
        new OidcProperties.Pkce(pkce, method),
        null,
        true,
        false);
  }

  @Test
  void shouldAddAnS256ChallengeAndKeepTheVerifierWhenPkceIsEnabled() {
    OAuth2AuthorizationRequest r = request(props(true, "S256", Map.of()));

    assertThat(r.getAdditionalParameters())
        .containsEntry("code_challenge_method", "S256")
        .containsKey("code_challenge");
    assertThat((String) r.getAttribute("code_verifier")).hasSizeGreaterThan(42);
    assertThat(r.getAdditionalParameters().get("code_challenge"))
        .isNotEqualTo(r.getAttribute("code_verifier"));
  }

  @Test
  void shouldSendTheVerifierAsChallengeForPlain() {
    OAuth2AuthorizationRequest r = request(props(true, "plain", Map.of()));

    assertThat(r.getAdditionalParameters())
        .containsEntry("code_challenge_method", "plain")
        .containsEntry("code_challenge", r.getAttribute("code_verifier"));
  }

  @Test
  void shouldAddExtraParamsButNeverReplaceProtocolParameters() {
    OAuth2AuthorizationRequest r =
        request(
            props(
                false,
                "S256",
                Map.of(
                    "domain_hint",
                    "acmecorp.net",
                    "code_challenge",
                    "attacker",
                    "prompt",
                    "login")));

    assertThat(r.getAdditionalParameters())
        .containsEntry("domain_hint", "acmecorp.net")
        .containsEntry("prompt", "login")
        .doesNotContainKey("code_challenge")
        .doesNotContainKey("code_challenge_method");
    assertThat(r.getAuthorizationRequestUri()).contains("domain_hint=acmecorp.net");
  }
}
