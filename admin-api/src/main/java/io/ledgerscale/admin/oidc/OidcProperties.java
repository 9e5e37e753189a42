// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code oidc:} block of config.yaml, as the server hands it over ({@code ledgerscale.oidc.*});
 * this module cannot see the server's config classes. Lists arrive comma-separated, blanks are
 * dropped.
 */
@ConfigurationProperties("ledgerscale.oidc")
public record OidcProperties(
    String issuer,
    String clientId,
    String clientSecret,
    @DefaultValue("true") boolean onlyStartIfOidcIsAvailable,
    @DefaultValue({"openid", "profile", "email"}) List<String> scope,
    Map<String, String> extraParams,
    List<String> allowedDomains,
    List<String> allowedGroups,
    List<String> allowedUsers,
    @DefaultValue Pkce pkce,
    Boolean stripEmailDomain,
    @DefaultValue("true") boolean emailVerifiedRequired,
    boolean useExpiryFromToken) {

  public OidcProperties {
    scope = clean(scope);
    extraParams = extraParams == null ? Map.of() : Map.copyOf(extraParams);
    allowedDomains = clean(allowedDomains);
    allowedGroups = clean(allowedGroups);
    allowedUsers = clean(allowedUsers);
    clientSecret = clientSecret == null ? "" : clientSecret;
  }

  public record Pkce(boolean enabled, @DefaultValue("S256") String method) {}

  private static List<String> clean(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }
}
