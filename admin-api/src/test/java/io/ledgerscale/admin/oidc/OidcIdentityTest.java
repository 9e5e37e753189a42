// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcIdentityTest {

  static OidcProperties properties(
      Boolean strip,
      boolean emailVerifiedRequired,
      List<String> domains,
      List<String> groups,
      List<String> users) {
    return new OidcProperties(
        "https://idp.example/",
        "client",
        "secret",
        true,
        List.of("openid"),
        Map.of(),
        domains,
        groups,
        users,
        new OidcProperties.Pkce(true, "S256"),
        strip,
        emailVerifiedRequired,
        false);
  }

  private static Map<String, Object> claims(Object... pairs) {
    Map<String, Object> m =
        new HashMap<>(Map.of("iss", "https://idp.example/", "sub", "248289761001"));
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void shouldIdentifyByIssuerAndSubjectAndPreferTheUsername() {
    OidcIdentity who =
        OidcIdentity.from(
            claims(
                "preferred_username",
                "jane",
                "name",
                "Jane Doe",
                "email",
                "jane@acmecorp.net",
                "email_verified",
                true,
                "picture",
                "https://pics/jane",
                "groups",
                List.of("/headscale", "staff")),
            properties(null, true, List.of(), List.of(), List.of()));

    assertThat(who)
        .isEqualTo(
            new OidcIdentity(
                "https://idp.example/248289761001",
                "jane",
                "Jane Doe",
                "jane@acmecorp.net",
                "jane@acmecorp.net",
                "https://pics/jane",
                List.of("/headscale", "staff")));
  }

  @Test
  void shouldNameFromTheEmailPerStripEmailDomain() {
    Map<String, Object> c = claims("email", "user@acmecorp.net", "email_verified", "true");

    assertThat(OidcIdentity.from(c, properties(true, true, List.of(), List.of(), List.of())).name())
        .isEqualTo("user");
    assertThat(
            OidcIdentity.from(c, properties(false, true, List.of(), List.of(), List.of())).name())
        .isEqualTo("user.acmecorp.net");
    assertThat(OidcIdentity.from(c, properties(null, true, List.of(), List.of(), List.of())).name())
        .isEqualTo("user@acmecorp.net");
  }

  @Test
  void cannotUseAnUnverifiedEmailUnlessVerificationIsNotRequired() {
    Map<String, Object> c = claims("email", "ceo@acmecorp.net", "email_verified", false);

    OidcIdentity strict =
        OidcIdentity.from(c, properties(true, true, List.of(), List.of(), List.of()));
    assertThat(strict.email()).isNull();
    assertThat(strict.claimedEmail()).isEqualTo("ceo@acmecorp.net");
    assertThat(strict.name()).isEqualTo("248289761001");

    OidcIdentity lax =
        OidcIdentity.from(c, properties(true, false, List.of(), List.of(), List.of()));
    assertThat(lax.email()).isEqualTo("ceo@acmecorp.net");
    assertThat(lax.name()).isEqualTo("ceo");
  }

  @Test
  void shouldTurnCharactersAUserNameCannotHoldIntoDashes() {
    assertThat(OidcIdentity.userName("Jane Doe (admin)", null)).isEqualTo("Jane-Doe-admin-");
    assertThat(OidcIdentity.userName("__x", null)).isEqualTo("x");
    assertThat(OidcIdentity.userName("Ünïcødé", null)).isEqualTo("n-c-d-");
    assertThat(OidcIdentity.userName("***", null)).isEqualTo("user");
  }

  @Test
  void shouldDropClaimsOutOfBoundsInsteadOfStoringThem() {
    OidcIdentity who =
        OidcIdentity.from(
            claims(
                "preferred_username",
                "ja\u0000ne" + "q".repeat(3_000),
                "name",
                "Jane\u0000Doe",
                "email",
                "jane\u0000@acmecorp.net",
                "email_verified",
                true,
                "picture",
                "javascript:alert(1)"),
            properties(null, true, List.of(), List.of(), List.of()));

    assertThat(who.email()).isNull();
    assertThat(who.claimedEmail()).isNull();
    assertThat(who.pictureUrl()).isNull();
    assertThat(who.name()).hasSize(255).startsWith("ja-neq");
    assertThat(who.displayName()).isEqualTo(who.name());
  }

  @Test
  void cannotIdentifyBySubjectOutOfBounds() {
    Map<String, Object> c = claims();
    c.put("sub", "a\u0000b");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OidcIdentity.from(c, properties(null, true, List.of(), List.of(), List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
