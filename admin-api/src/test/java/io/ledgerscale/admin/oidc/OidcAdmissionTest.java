// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import static io.ledgerscale.admin.oidc.OidcIdentityTest.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OidcAdmissionTest {
  private static final OidcIdentity DOMINIC =
      new OidcIdentity(
          "iss/1",
          "dominic",
          "Dominic",
          "Dominic@AcmeCorp.net",
          "Dominic@AcmeCorp.net",
          null,
          List.of("/headscale"));
  private static final OidcIdentity UNVERIFIED =
      new OidcIdentity("iss/2", "x", "x", null, "x@acmecorp.net", null, List.of());

  @Test
  void canAdmitAnyoneWithoutAllowLists() {
    assertThat(
            OidcAdmission.refusal(
                UNVERIFIED, properties(true, true, List.of(), List.of(), List.of())))
        .isEmpty();
  }

  @Test
  void canAdmitWhenEveryConfiguredListAgreesIgnoringCase() {
    assertThat(
            OidcAdmission.refusal(
                DOMINIC,
                properties(
                    true,
                    true,
                    List.of("acmecorp.net"),
                    List.of("/headscale"),
                    List.of("dominic@acmecorp.net"))))
        .isEmpty();
  }

  @Test
  void cannotPassAllowedDomainsFromAnotherDomainOrWithoutAVerifiedEmail() {
    assertThat(
            OidcAdmission.refusal(
                DOMINIC, properties(true, true, List.of("example.org"), List.of(), List.of())))
        .contains("e-mail domain acmecorp.net is not in allowed_domains");
    assertThat(
            OidcAdmission.refusal(
                UNVERIFIED, properties(true, true, List.of("acmecorp.net"), List.of(), List.of())))
        .contains("no verified e-mail address to check against allowed_domains");
  }

  @Test
  void cannotPassAllowedGroupsOrUsersWhenNotListed() {
    assertThat(
            OidcAdmission.refusal(
                DOMINIC, properties(true, true, List.of(), List.of("/admins"), List.of())))
        .contains("none of the groups [/headscale] is in allowed_groups");
    assertThat(
            OidcAdmission.refusal(
                DOMINIC,
                properties(
                    true,
                    true,
                    List.of("acmecorp.net"),
                    List.of(),
                    List.of("someone@acmecorp.net"))))
        .contains("Dominic@AcmeCorp.net is not in allowed_users");
  }
}
