// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Maps Headscale-style keys onto the Spring Boot properties that implement them. */
final class SpringSettings {
  private SpringSettings() {}

  static Map<String, Object> of(LedgerscaleConfig c) {
    Map<String, Object> p = new LinkedHashMap<>();
    ListenAddress listen = c.listenAddress();
    if (listen != null) {
      p.put("server.port", listen.port());
      if (listen.host() != null) {
        p.put("server.address", listen.host());
      }
    }
    tls(c, p);
    ListenAddress metrics = ListenAddress.parse("metrics_listen_addr", c.metricsListenAddr);
    if (metrics == null) {
      p.put("management.server.port", -1);
    } else {
      p.put("management.server.port", metrics.port());
      if (metrics.host() != null) {
        p.put("management.server.address", metrics.host());
      }
    }
    String level = c.log.level == null ? "info" : c.log.level.toLowerCase(Locale.ROOT);
    String springLevel =
        switch (level) {
          case "warning" -> "warn";
          case "fatal", "panic" -> "error";
          default -> level;
        };
    p.put("logging.level.io.ledgerscale", springLevel);
    if ("json".equalsIgnoreCase(c.log.format)) {
      p.put("logging.structured.format.console", "ecs");
    }
    p.put("ledgerscale.data-dir", c.dataDirectory().toString());
    // the gateway reads the key from here; without it a configured path was ignored and a new key
    // generated
    p.put("ledgerscale.noise.private-key-path", c.noisePrivateKeyPath().toString());
    p.put("ledgerscale.derp.enabled", c.derp.server.enabled);
    p.put("ledgerscale.database.type", c.database.checkedType());
    // the admin API answers GET /api/v1/policy from the file in file mode, as Headscale does
    p.put("ledgerscale.policy.file", c.policy.fromFile() ? c.policy.file().toString() : "");
    oidc(c.oidc, p);
    return p;
  }

  /**
   * Direct TLS from a certificate and key in PEM files (Headscale's tls_cert_path / tls_key_path),
   * read into the SSL bundle the server registers (io.ledgerscale.server.tls). Without them the
   * server speaks plain HTTP, for a TLS-terminating proxy in front.
   */
  private static void tls(LedgerscaleConfig c, Map<String, Object> p) {
    if (c.directTls()) {
      p.put("server.ssl.enabled", true);
      p.put("server.ssl.bundle", io.ledgerscale.server.tls.DirectTlsConfiguration.BUNDLE);
    }
  }

  /** The admin API's OIDC login reads these (it cannot see this module's classes). */
  private static void oidc(OidcSettings o, Map<String, Object> p) {
    if (!o.enabled()) {
      return;
    }
    String prefix = "ledgerscale.oidc.";
    p.put(prefix + "issuer", o.issuer);
    p.put(prefix + "client-id", o.clientId);
    p.put(prefix + "client-secret", o.secret());
    p.put(prefix + "only-start-if-oidc-is-available", o.onlyStartIfOidcIsAvailable);
    p.put(prefix + "scope", String.join(",", o.scope));
    o.extraParams.forEach((k, v) -> p.put(prefix + "extra-params[" + k + "]", v == null ? "" : v));
    p.put(prefix + "allowed-domains", String.join(",", o.allowedDomains));
    p.put(prefix + "allowed-groups", String.join(",", o.allowedGroups));
    p.put(prefix + "allowed-users", String.join(",", o.allowedUsers));
    p.put(prefix + "pkce.enabled", o.pkce.enabled);
    p.put(prefix + "pkce.method", o.pkce.method);
    if (o.stripEmailDomain != null) {
      p.put(prefix + "strip-email-domain", o.stripEmailDomain);
    }
    p.put(prefix + "email-verified-required", o.emailVerifiedRequired);
    p.put(prefix + "use-expiry-from-token", o.useExpiryFromToken);
  }
}
