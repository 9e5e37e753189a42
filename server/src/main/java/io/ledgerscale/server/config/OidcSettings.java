// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code oidc.*}, accepting the block the way the authentik and Ansible guides write it, including
 * keys newer Headscale releases reject ({@code strip_email_domain}, {@code map_legacy_users},
 * {@code expiry}): an existing file must load. The client secret comes from {@code client_secret},
 * {@code client_secret_path}, or the environment variable LEDGERSCALE_OIDC_CLIENT_SECRET (or
 * Headscale's HEADSCALE_OIDC_CLIENT_SECRET). {@code strip_email_domain} is honoured for the user
 * name (see the admin API's OIDC login).
 */
public class OidcSettings {
  public boolean onlyStartIfOidcIsAvailable = true;
  public String issuer = "";
  public String clientId = "";
  public String clientSecret = "";
  public String clientSecretPath;
  public boolean useExpiryFromToken;
  public String expiry;
  public List<String> scope = new ArrayList<>(List.of("openid", "profile", "email"));
  public boolean emailVerifiedRequired = true;
  public Map<String, String> extraParams = new LinkedHashMap<>();
  public List<String> allowedDomains = new ArrayList<>();
  public List<String> allowedUsers = new ArrayList<>();
  public List<String> allowedGroups = new ArrayList<>();
  public Pkce pkce = new Pkce();
  public Boolean stripEmailDomain;
  public Boolean mapLegacyUsers;

  /** OIDC is on when an issuer is configured. */
  @JsonIgnore
  public boolean enabled() {
    return issuer != null && !issuer.isBlank();
  }

  /** The client secret, from client_secret_path when that is set (trailing newline removed). */
  @JsonIgnore
  public String secret() {
    if (clientSecretPath == null || clientSecretPath.isBlank()) {
      return clientSecret == null ? "" : clientSecret;
    }
    try {
      return Files.readString(Path.of(clientSecretPath)).strip();
    } catch (IOException e) {
      throw new ConfigException(
          "oidc.client_secret_path: cannot read " + clientSecretPath + ": " + e, e);
    }
  }

  /** Mistakes that would otherwise only show at the first login. */
  void check() {
    if (!enabled()) {
      return;
    }
    boolean inline = clientSecret != null && !clientSecret.isEmpty();
    boolean fromFile = clientSecretPath != null && !clientSecretPath.isBlank();
    if (inline && fromFile) {
      throw new ConfigException("oidc: set client_secret or client_secret_path, not both");
    }
    if (fromFile) {
      secret();
    }
    if (pkce.enabled && !"S256".equals(pkce.method) && !"plain".equals(pkce.method)) {
      throw new ConfigException(
          "oidc.pkce.method: '" + pkce.method + "' is not one of S256, plain");
    }
    if (scope == null || !scope.contains("openid")) {
      throw new ConfigException("oidc.scope: must include openid");
    }
  }

  public static class Pkce {
    public boolean enabled;
    public String method = "S256";
  }
}
