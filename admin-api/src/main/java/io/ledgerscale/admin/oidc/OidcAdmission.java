// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import java.util.Locale;
import java.util.Optional;

/**
 * Headscale's allow-lists: each configured list must admit the login (all of them, when several are
 * set). Domains and users are matched against the verified e-mail address only, case-insensitively;
 * groups against the {@code groups} claim, exactly.
 */
public final class OidcAdmission {
  private OidcAdmission() {}

  /** Why the login is not admitted, or empty when it is. */
  public static Optional<String> refusal(OidcIdentity who, OidcProperties properties) {
    if (!properties.allowedDomains().isEmpty()) {
      String domain = who.emailDomain();
      if (domain == null) {
        return Optional.of("no verified e-mail address to check against allowed_domains");
      }
      if (properties.allowedDomains().stream()
          .noneMatch(d -> d.toLowerCase(Locale.ROOT).equals(domain))) {
        return Optional.of("e-mail domain " + domain + " is not in allowed_domains");
      }
    }
    if (!properties.allowedUsers().isEmpty()) {
      if (who.email() == null) {
        return Optional.of("no verified e-mail address to check against allowed_users");
      }
      if (properties.allowedUsers().stream().noneMatch(u -> u.equalsIgnoreCase(who.email()))) {
        return Optional.of(who.email() + " is not in allowed_users");
      }
    }
    if (!properties.allowedGroups().isEmpty()
        && who.groups().stream().noneMatch(properties.allowedGroups()::contains)) {
      return Optional.of("none of the groups " + who.groups() + " is in allowed_groups");
    }
    return Optional.empty();
  }
}
