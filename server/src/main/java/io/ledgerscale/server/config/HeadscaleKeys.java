// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a Headscale operator's file asks for that Ledgerscale does not do, said once at start: a key
 * Ledgerscale accepts but does not implement (warned only when its value asks for the feature, so a
 * file holding Headscale's defaults starts quietly where nothing is lost), and a key Headscale
 * renamed or removed (warned with its new name). Headscale no longer honours the old names either,
 * so neither does Ledgerscale; the one exception is an old policy path with no new one, which
 * Headscale refuses and so does Ledgerscale: ignoring it would run the tailnet with no policy at
 * all, open to every node.
 */
final class HeadscaleKeys {
  private HeadscaleKeys() {}

  /** A key Ledgerscale accepts so the file loads, and what it does instead. */
  private record Unsupported(String key, Predicate<JsonNode> asksForIt, String instead) {}

  private static final Predicate<JsonNode> TRUE = JsonNode::asBoolean;
  private static final Predicate<JsonNode> FALSE = v -> !v.asBoolean(true);
  private static final Predicate<JsonNode> NOT_EMPTY =
      v -> v.isContainerNode() ? v.size() > 0 : !v.isNull() && !v.asText().isBlank();

  private static final List<Unsupported> UNSUPPORTED =
      List.of(
          new Unsupported(
              "derp.auto_update_enabled",
              TRUE,
              "the DERP map is read from derp.urls and derp.paths once, at start (update_frequency"
                  + " has no effect); restart the server to pick up a changed map"),
          new Unsupported(
              "tls_letsencrypt_hostname",
              NOT_EMPTY,
              "no ACME/Let's Encrypt certificates (the acme_* and tls_letsencrypt_* keys have no"
                  + " effect); set tls_cert_path and tls_key_path to certificates you renew"
                  + " (certbot), or put a TLS-terminating proxy in front"),
          new Unsupported(
              "unix_socket",
              NOT_EMPTY,
              "no Unix socket is opened (unix_socket_permission has no effect); the ledgerscale CLI"
                  + " uses the REST API on listen_addr with an API key (cli.address, cli.api_key)"),
          new Unsupported(
              "grpc_listen_addr",
              NOT_EMPTY,
              "there is no gRPC API (grpc_allow_insecure has no effect); use the REST API"
                  + " (/api/v1) on listen_addr, as Headplane and the ledgerscale CLI do"),
          new Unsupported(
              "trusted_proxies",
              NOT_EMPTY,
              "X-Forwarded-For is not read from any proxy; logs and audit show the proxy's"
                  + " address"),
          new Unsupported(
              "taildrop.enabled",
              FALSE,
              "Taildrop cannot be turned off: nodes keep the file-sharing capability"),
          new Unsupported(
              "logtail.enabled",
              TRUE,
              "clients are always told not to upload logs to Tailscale's log service"),
          new Unsupported(
              "auto_update.enabled",
              TRUE,
              "clients are told not to update themselves; update them with your package manager"),
          new Unsupported(
              "node.routes.ha",
              NOT_EMPTY,
              "subnet routers are not probed; a route fails over to another router when its"
                  + " primary goes offline"),
          new Unsupported(
              "database.debug", TRUE, "SQL statements are not logged; log.level sets what is"),
          new Unsupported(
              "preauth_keys.revoked_retention",
              NOT_EMPTY,
              "revoked pre-auth keys are kept (their history is part of the event log)"),
          new Unsupported(
              "oidc.map_legacy_users",
              NOT_EMPTY,
              "removed in Headscale 0.26 and has no effect; users are matched by their OIDC"
                  + " subject"));

  /** Headscale's old name → its new one (Headscale's config.go deprecator). */
  private static final Map<String, String> RENAMED =
      Map.ofEntries(
          Map.entry("acl_policy_path", "policy.path"),
          Map.entry("dns_config.magic_dns", "dns.magic_dns"),
          Map.entry("dns_config.base_domain", "dns.base_domain"),
          Map.entry("dns_config.override_local_dns", "dns.override_local_dns"),
          Map.entry("dns_config.nameservers", "dns.nameservers.global"),
          Map.entry("dns_config.restricted_nameservers", "dns.nameservers.split"),
          Map.entry("dns_config.domains", "dns.search_domains"),
          Map.entry("dns_config.extra_records", "dns.extra_records"),
          Map.entry("ephemeral_node_inactivity_timeout", "node.ephemeral.inactivity_timeout"),
          Map.entry("oidc.expiry", "node.expiry"),
          Map.entry(
              "randomize_client_port",
              "the policy file's top-level \"randomizeClientPort\": true (or a nodeAttrs entry"
                  + " granting https://tailscale.com/cap/randomize-client-port)"));

  /** Removed without a replacement. */
  private static final List<String> REMOVED =
      List.of("dns.use_username_in_magic_dns", "dns_config.use_username_in_magic_dns");

  /**
   * Old keys Ledgerscale still reads, so their value is not lost (see {@link LedgerscaleConfig}).
   */
  private static final List<String> STILL_HONOURED = List.of("ephemeral_node_inactivity_timeout");

  /**
   * The warnings for {@code root}, the file's tree with environment overrides applied. Renamed and
   * removed keys are taken out of the tree so they are not also reported as unknown.
   *
   * @throws ConfigException for an old key whose loss would fail open
   */
  static List<String> report(ObjectNode root) {
    List<String> warnings = new ArrayList<>();
    for (Unsupported u : UNSUPPORTED) {
      JsonNode v = at(root, u.key());
      if (v != null && u.asksForIt().test(v)) {
        warnings.add("config key '" + u.key() + "' is not supported: " + u.instead());
      }
    }
    if (root.get("tuning") instanceof ObjectNode tuning) {
      tuning
          .fieldNames()
          .forEachRemaining(
              k -> {
                if (!k.equals("batch_change_delay")) {
                  warnings.add(
                      "config key 'tuning."
                          + k
                          + "' is not supported: it tunes Headscale's internals, which"
                          + " Ledgerscale does not share (only tuning.batch_change_delay applies)");
                }
              });
    }
    if (at(root, "acl_policy_path") != null && at(root, "policy.path") == null) {
      throw new ConfigException(
          "acl_policy_path: renamed by Headscale to policy.path; set policy.path (without a"
              + " policy the tailnet would be open to every node)");
    }
    RENAMED.forEach(
        (old, renamed) -> {
          if (at(root, old) != null) {
            boolean kept = STILL_HONOURED.contains(old);
            warnings.add(
                "config key '"
                    + old
                    + "' was renamed: use "
                    + renamed
                    + (kept
                        ? " (its value is still honoured when that is not set)"
                        : "; its value is ignored, as Headscale ignores it"));
            if (!kept) {
              remove(root, old);
            }
          }
        });
    for (String old : REMOVED) {
      if (at(root, old) != null) {
        warnings.add("config key '" + old + "' was removed by Headscale and has no effect");
        remove(root, old);
      }
    }
    if (root.get("dns_config") instanceof ObjectNode rest && rest.isEmpty()) {
      root.remove("dns_config");
    }
    return warnings;
  }

  private static JsonNode at(ObjectNode root, String dotted) {
    JsonNode n = root;
    for (String part : dotted.split("\\.")) {
      n = n.isObject() ? n.get(part) : null;
      if (n == null) {
        return null;
      }
    }
    return n.isNull() ? null : n;
  }

  private static void remove(ObjectNode root, String dotted) {
    int dot = dotted.lastIndexOf('.');
    JsonNode parent = dot < 0 ? root : at(root, dotted.substring(0, dot));
    if (parent instanceof ObjectNode o) {
      o.remove(dotted.substring(dot + 1));
    }
  }
}
