// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Who logged in, from the ID token and user-info claims, in the terms a Ledgerscale user has. The
 * stable identity is issuer + subject ({@code providerId = iss/sub}, provider {@code oidc}), never
 * the e-mail or name, which the person may change at the IdP.
 *
 * @param email the e-mail address to record and to check allow-lists with: only a verified one,
 *     unless email_verified_required is false; null otherwise
 * @param claimedEmail the e-mail claim as sent, verified or not (shown, never trusted)
 */
public record OidcIdentity(
    String providerId,
    String name,
    String displayName,
    String email,
    String claimedEmail,
    String pictureUrl,
    List<String> groups)
    implements java.io.Serializable {

  public static final String PROVIDER = "oidc";

  public static OidcIdentity from(Map<String, Object> claims, OidcProperties properties) {
    String issuer = text(claims.get("iss"));
    String subject = text(claims.get("sub"));
    if (issuer == null || subject == null) {
      throw new IllegalArgumentException("the ID token names no issuer or subject");
    }
    String providerId =
        (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + "/" + subject;
    if (InputBounds.text("providerId", providerId, InputBounds.PROVIDER_ID_MAX).isPresent()) {
      throw new IllegalArgumentException("the ID token's issuer or subject is out of bounds");
    }
    // The IdP is trusted for who logged in, not for the shape of its claims: a claim out of bounds
    // is dropped (or the name falls back), never stored.
    String claimedEmail = withinBounds(text(claims.get("email")), InputBounds::email);
    boolean verified =
        Boolean.TRUE.equals(claims.get("email_verified"))
            || "true".equalsIgnoreCase(String.valueOf(claims.get("email_verified")));
    String email =
        claimedEmail != null && (verified || !properties.emailVerifiedRequired())
            ? claimedEmail
            : null;
    String preferred = text(claims.get("preferred_username"));
    String base = preferred != null ? preferred : email != null ? email : subject;
    String name = userName(base, properties.stripEmailDomain());
    String displayName = withinBounds(text(claims.get("name")), InputBounds::displayName);
    return new OidcIdentity(
        providerId,
        name,
        displayName == null ? name : displayName,
        email,
        claimedEmail,
        withinBounds(text(claims.get("picture")), InputBounds::pictureUrl),
        groups(claims.get("groups")));
  }

  /**
   * strip_email_domain true: {@code user@acmecorp.net} becomes {@code user}; false: {@code
   * user.acmecorp.net} (as the authentik guide describes it); unset: the address is kept as it is.
   * Characters a user name may not hold become dashes.
   */
  static String userName(String base, Boolean stripEmailDomain) {
    String name = base;
    int at = name.indexOf('@');
    if (at > 0 && stripEmailDomain != null) {
      name =
          stripEmailDomain
              ? name.substring(0, at)
              : name.substring(0, at) + "." + name.substring(at + 1);
    }
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || ".-_@+".indexOf(c) >= 0);
      out.append(allowed ? c : '-');
    }
    String cleaned = out.toString().replaceAll("-{2,}", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (cleaned.length() > 255) {
      cleaned = cleaned.substring(0, 255);
    }
    return cleaned.isEmpty() ? "user" : cleaned;
  }

  /** The e-mail domain, lower case, or null. */
  public String emailDomain() {
    return email == null || email.indexOf('@') < 0
        ? null
        : email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }

  private static List<String> groups(Object claim) {
    if (claim instanceof Collection<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    if (claim instanceof String single && !single.isBlank()) {
      return List.of(single);
    }
    return List.of();
  }

  private static String withinBounds(
      String value, BiFunction<String, String, Optional<BoundViolation>> rule) {
    return value == null || rule.apply("claim", value).isPresent() ? null : value;
  }

  private static String text(Object claim) {
    if (claim == null) {
      return null;
    }
    String s = claim.toString().strip();
    return s.isEmpty() ? null : s;
  }
}
