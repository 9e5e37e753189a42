// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String RESOURCES = "src/test/resources/config/";

  @TempDir Path tmp;

  private Path file(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("config-" + System.nanoTime() + ".yaml"), yaml);
  }

  @Test
  void shouldUseDefaultsWithoutAFile() {
    ConfigLoader.Loaded loaded = ConfigLoader.load(null, Map.of());

    LedgerscaleConfig c = loaded.config();
    assertThat(loaded.source()).isNull();
    assertThat(c.listenAddr).isEqualTo("127.0.0.1:8080");
    assertThat(c.database.checkedType()).isEqualTo("embedded");
    assertThat(c.database.embedded.port).isEqualTo(5433);
    assertThat(c.dataDirectory()).isEqualTo(Path.of("data").toAbsolutePath());
    assertThat(c.noisePrivateKeyPath()).isEqualTo(c.dataDirectory().resolve("noise_private.key"));
    assertThat(c.nodeExpiry()).isEmpty();
    assertThat(c.oidc.enabled()).isFalse();
  }

  @Test
  void canLoadTheAuthentikOidcBlockAsWritten() {
    ConfigLoader.Loaded loaded = ConfigLoader.load(RESOURCES + "authentik-oidc.yaml", Map.of());

    OidcSettings oidc = loaded.config().oidc;
    assertThat(loaded.warnings()).isEmpty();
    assertThat(oidc.enabled()).isTrue();
    assertThat(oidc.onlyStartIfOidcIsAvailable).isTrue();
    assertThat(oidc.issuer).isEqualTo("https://authentik.company/application/o/<headscale-slug>/");
    assertThat(oidc.clientId).isEqualTo("<Client ID from authentik>");
    assertThat(oidc.secret()).isEqualTo("<Client secret from authentik>");
    assertThat(oidc.scope).containsExactly("openid", "profile", "email", "custom");
    assertThat(oidc.extraParams).containsEntry("domain_hint", "acmecorp.net");
    assertThat(oidc.allowedDomains).containsExactly("acmecorp.net");
    assertThat(oidc.allowedGroups).containsExactly("/headscale");
    assertThat(oidc.allowedUsers).containsExactly("dominic@acmecorp.net");
    assertThat(oidc.pkce.enabled).isTrue();
    assertThat(oidc.pkce.method).isEqualTo("S256");
    assertThat(oidc.stripEmailDomain).isTrue();
  }

  @Test
  void canLoadAHeadscaleFileAndWarnAboutUnknownKeys() {
    ConfigLoader.Loaded loaded = ConfigLoader.load(RESOURCES + "headscale-style.yaml", Map.of());

    LedgerscaleConfig c = loaded.config();
    assertThat(loaded.warnings())
        .containsExactlyInAnyOrder(
            "config key 'grpc_listen_addr' is not supported: there is no gRPC API"
                + " (grpc_allow_insecure has no effect); use the REST API (/api/v1) on"
                + " listen_addr, as Headplane and the ledgerscale CLI do",
            "config key 'derp.auto_update_enabled' is not supported: the DERP map is read from"
                + " derp.urls and derp.paths once, at start (update_frequency has no effect);"
                + " restart the server to pick up a changed map",
            "config key 'unix_socket' is not supported: no Unix socket is opened"
                + " (unix_socket_permission has no effect); the ledgerscale CLI uses the REST API"
                + " on listen_addr with an API key (cli.address, cli.api_key)",
            "config key 'ephemeral_node_inactivity_timeout' was renamed: use"
                + " node.ephemeral.inactivity_timeout (its value is still honoured when that is"
                + " not set)",
            "config key 'randomize_client_port' was renamed: use the policy file's top-level"
                + " \"randomizeClientPort\": true (or a nodeAttrs entry granting"
                + " https://tailscale.com/cap/randomize-client-port); its value is ignored, as"
                + " Headscale ignores it",
            "unknown config key 'some_future_key' ignored");
    assertThat(c.listenAddress()).isEqualTo(new ListenAddress("0.0.0.0", 8080));
    assertThat(c.database.checkedType()).isEqualTo("postgres");
    assertThat(c.database.postgres.host).isEqualTo("db.internal");
    assertThat(c.database.postgres.password()).isEqualTo("bar");
    assertThat(c.dns.nameservers.split).containsEntry("foo.bar.com", java.util.List.of("1.1.1.1"));
    assertThat(c.dns.extraRecords.get(0).value).isEqualTo("100.64.0.3");
    assertThat(c.nodeExpiry()).contains(Duration.ofDays(180));
    assertThat(c.ephemeralInactivityTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.derp.updateFrequency).isEqualTo("24h");
  }

  @Test
  void shouldNameEveryHeadscaleKeyItDoesNotImplementAndTheNewNameOfEveryRenamedOne()
      throws IOException {
    ConfigLoader.Loaded loaded =
        ConfigLoader.load(
            file("""
                listen_addr: 0.0.0.0:8080
                policy:
                  path: /etc/headscale/policy.hujson
                acl_policy_path: /etc/headscale/acl.hujson
                derp:
                  server:
                    enabled: true
                    region_id: 900
                  auto_update_enabled: false
                tls_letsencrypt_hostname: hs.example.com
                acme_email: ops@example.com
                unix_socket: ""
                grpc_listen_addr: ""
                trusted_proxies: [10.0.0.0/8]
                taildrop:
                  enabled: false
                logtail:
                  enabled: false
                auto_update:
                  enabled: true
                node:
                  routes:
                    ha:
                      probe_interval: 10s
                database:
                  debug: true
                preauth_keys:
                  revoked_retention: 720h
                tuning:
                  batch_change_delay: 100ms
                  batcher_workers: 4
                dns:
                  base_domain: new.example.com
                  use_username_in_magic_dns: true
                dns_config:
                  base_domain: old.example.com
                  nameservers: [9.9.9.9]
                oidc:
                  expiry: 30d
                  map_legacy_users: true
                some_future_key: 1
                """)
                .toString(),
            Map.of());

    assertThat(loaded.warnings())
        .containsExactlyInAnyOrder(
            "config key 'tls_letsencrypt_hostname' is not supported: no ACME/Let's Encrypt"
                + " certificates (the acme_* and tls_letsencrypt_* keys have no effect); set"
                + " tls_cert_path and tls_key_path to certificates you renew (certbot), or put a"
                + " TLS-terminating proxy in front",
            "config key 'trusted_proxies' is not supported: X-Forwarded-For is not read from any"
                + " proxy; logs and audit show the proxy's address",
            "config key 'taildrop.enabled' is not supported: Taildrop cannot be turned off: nodes"
                + " keep the file-sharing capability",
            "config key 'auto_update.enabled' is not supported: clients are told not to update"
                + " themselves; update them with your package manager",
            "config key 'node.routes.ha' is not supported: subnet routers are not probed; a route"
                + " fails over to another router when its primary goes offline",
            "config key 'database.debug' is not supported: SQL statements are not logged;"
                + " log.level sets what is",
            "config key 'preauth_keys.revoked_retention' is not supported: revoked pre-auth keys"
                + " are kept (their history is part of the event log)",
            "config key 'oidc.map_legacy_users' is not supported: removed in Headscale 0.26 and"
                + " has no effect; users are matched by their OIDC subject",
            "config key 'tuning.batcher_workers' is not supported: it tunes Headscale's"
                + " internals, which Ledgerscale does not share (only tuning.batch_change_delay"
                + " applies)",
            "config key 'acl_policy_path' was renamed: use policy.path; its value is ignored, as"
                + " Headscale ignores it",
            "config key 'dns_config.base_domain' was renamed: use dns.base_domain; its value is"
                + " ignored, as Headscale ignores it",
            "config key 'dns_config.nameservers' was renamed: use dns.nameservers.global; its"
                + " value is ignored, as Headscale ignores it",
            "config key 'oidc.expiry' was renamed: use node.expiry; its value is ignored, as"
                + " Headscale ignores it",
            "config key 'dns.use_username_in_magic_dns' was removed by Headscale and has no"
                + " effect",
            "unknown config key 'some_future_key' ignored");
    LedgerscaleConfig c = loaded.config();
    assertThat(c.policy.path).isEqualTo("/etc/headscale/policy.hujson");
    assertThat(c.dns.baseDomain).isEqualTo("new.example.com");
    assertThat(c.dns.nameservers.global).isEmpty();
    assertThat(c.batchChangeDelay()).contains(Duration.ofMillis(100));
  }

  @Test
  void cannotStartWithTheOldPolicyPathAlone() throws IOException {
    Path old = file("acl_policy_path: /etc/headscale/acl.hujson\n");

    assertThatThrownBy(() -> ConfigLoader.load(old.toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("acl_policy_path")
        .hasMessageContaining("set policy.path");
  }

  @Test
  void refusesTailnetSettingsThatNameNoDomainOrUserOrAreTooLong() throws IOException {
    for (String bad :
        List.of(
            "policy:\n  tailnet_domains: [\"*.example.com\"]\n",
            "policy:\n  tailnet_domains: [\"" + "a".repeat(254) + "\"]\n",
            "policy:\n  owner: alice\n",
            "policy:\n  admins: [\"" + "a".repeat(250) + "@example.com\"]\n")) {
      assertThatThrownBy(() -> ConfigLoader.load(file(bad).toString(), Map.of()))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("policy.");
    }
    assertThat(
            ConfigLoader.load(
                    file("policy:\n  tailnet_domains: [example.com]\n  owner: alice@example.com\n")
                        .toString(),
                    Map.of())
                .config()
                .policy
                .tailnetSettings()
                .owner())
        .isEqualTo("alice@example.com");
  }

  @Test
  void shouldReportNestedUnknownKeysWithTheirPath() throws IOException {
    ConfigLoader.Loaded loaded =
        ConfigLoader.load(file("database:\n  postgres:\n    hots: x\n").toString(), Map.of());

    assertThat(loaded.warnings())
        .containsExactly("unknown config key 'database.postgres.hots' ignored");
  }

  @Test
  void canOverrideAnyKnownKeyFromTheEnvironment() throws IOException {
    Path config = file("listen_addr: 127.0.0.1:8080\ndatabase:\n  type: embedded\n");
    Map<String, String> env =
        Map.of(
            "LEDGERSCALE_LISTEN_ADDR", ":9443",
            "LEDGERSCALE_DATABASE_TYPE", "postgres",
            "LEDGERSCALE_DATABASE_POSTGRES_PORT", "6543",
            "LEDGERSCALE_OIDC_CLIENT_SECRET", "from-env",
            "LEDGERSCALE_OIDC_ALLOWED_DOMAINS", "a.example, b.example",
            "LEDGERSCALE_DNS_MAGIC_DNS", "false");

    LedgerscaleConfig c = ConfigLoader.load(config.toString(), env).config();

    assertThat(c.listenAddress()).isEqualTo(new ListenAddress(null, 9443));
    assertThat(c.database.checkedType()).isEqualTo("postgres");
    assertThat(c.database.postgres.port).isEqualTo(6543);
    assertThat(c.oidc.secret()).isEqualTo("from-env");
    assertThat(c.oidc.allowedDomains).containsExactly("a.example", "b.example");
    assertThat(c.dns.magicDns).isFalse();
  }

  @Test
  void canFindTheFileThroughLedgerscaleConfig() throws IOException {
    Path config = file("data_dir: /srv/ls\n");

    ConfigLoader.Loaded loaded =
        ConfigLoader.load(null, Map.of("LEDGERSCALE_CONFIG", config.toString()));

    assertThat(loaded.source()).isEqualTo(config);
    assertThat(loaded.config().dataDirectory()).isEqualTo(Path.of("/srv/ls"));
  }

  @Test
  void canReadSecretsFromFilesNamedWithEnvironmentVariables() throws IOException {
    Files.writeString(tmp.resolve("oidc_client_secret"), "s3cret\n");
    Files.writeString(tmp.resolve("db_password"), "pw\n");
    Path config =
        file(
            "oidc:\n  issuer: https://idp\n  client_secret_path: \"${CREDENTIALS_DIRECTORY}/oidc_client_secret\"\n"
                + "database:\n  postgres:\n    password_file: $CREDENTIALS_DIRECTORY/db_password\n");

    LedgerscaleConfig c =
        ConfigLoader.load(config.toString(), Map.of("CREDENTIALS_DIRECTORY", tmp.toString()))
            .config();

    assertThat(c.oidc.secret()).isEqualTo("s3cret");
    assertThat(c.database.postgres.password()).isEqualTo("pw");
  }

  @Test
  void cannotStartWithSqliteOrAnUnknownDatabaseType() throws IOException {
    assertThatThrownBy(
            () -> ConfigLoader.load(file("database:\n  type: sqlite\n").toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.type: sqlite is not supported");
    assertThatThrownBy(
            () -> ConfigLoader.load(file("database:\n  type: mysql\n").toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'mysql' is not one of embedded, postgres");
  }

  @Test
  void cannotStartWithAServerUrlClientsCouldNotUse() throws IOException {
    for (String bad :
        List.of(
            "ledgerscale.example.com",
            "ftp://ledgerscale.example.com",
            "https://",
            "https://user:pw@ledgerscale.example.com",
            "https://ledgerscale.example.com/?x=1",
            "https://ledgerscale.example.com/#top",
            "https://ledgerscale.example.com/" + "a".repeat(1100),
            "\"\"")) {
      assertThatThrownBy(
              () -> ConfigLoader.load(file("server_url: " + bad + "\n").toString(), Map.of()))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("server_url: ");
    }
  }

  @Test
  void shouldReadServerUrlOnceWithoutItsTrailingSlash() throws IOException {
    LedgerscaleConfig c =
        ConfigLoader.load(file("server_url: http://hs.example.com:8080/\n").toString(), Map.of())
            .config();
    assertThat(c.serverUrl().base()).isEqualTo("http://hs.example.com:8080");
    assertThat(c.serverUrl().registerUrl("abc"))
        .isEqualTo("http://hs.example.com:8080/register/abc");
  }

  @Test
  void cannotStartWithMalformedValues() throws IOException {
    assertThatThrownBy(
            () -> ConfigLoader.load(file("listen_addr: localhost\n").toString(), Map.of()))
        .hasMessageContaining("listen_addr: 'localhost' needs a port");
    assertThatThrownBy(
            () -> ConfigLoader.load(file("node:\n  expiry: soon\n").toString(), Map.of()))
        .hasMessageContaining("node.expiry: 'soon' is not a duration");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("database:\n  embedded:\n    port: lots\n").toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.embedded.port");
    assertThatThrownBy(() -> ConfigLoader.load(file("log:\n  level: loud\n").toString(), Map.of()))
        .hasMessageContaining("log.level");
    assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("missing.yaml").toString(), Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void cannotServeTheMetricsOnThePublicListener() throws IOException {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("listen_addr: 0.0.0.0:8080\nmetrics_listen_addr: 127.0.0.1:8080\n")
                        .toString(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("metrics_listen_addr: port 8080 is listen_addr's");
  }

  @Test
  void canLoadTheShippedExampleWithoutWarnings() {
    ConfigLoader.Loaded loaded = ConfigLoader.load("config-example.yaml", Map.of());

    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().database.embedded.port).isEqualTo(5433);
    assertThat(loaded.config().nodeExpiry()).isEmpty();
    assertThat(loaded.config().batchChangeDelay()).contains(Duration.ofMillis(200));
  }

  @Test
  void shouldBoundTheBatchChangeDelay() throws IOException {
    assertThat(ConfigLoader.load(null, Map.of()).config().batchChangeDelay()).isEmpty();
    LedgerscaleConfig headscaleDefault =
        ConfigLoader.load(file("tuning:\n  batch_change_delay: 800ms\n").toString(), Map.of())
            .config();
    assertThat(headscaleDefault.batchChangeDelay()).contains(Duration.ofMillis(800));

    for (String bad : List.of("-1s", "1h", "soon")) {
      LedgerscaleConfig c =
          ConfigLoader.load(
                  file("tuning:\n  batch_change_delay: " + bad + "\n").toString(), Map.of())
              .config();
      assertThatThrownBy(c::batchChangeDelay)
          .as(bad)
          .hasMessageContaining("tuning.batch_change_delay");
    }
  }

  @Test
  void canParseHeadscaleDurations() {
    assertThat(GoDuration.parse("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("k", "0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("k", "2w")).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void shouldSizeThePoolAndTheCommandGateFromHeadscalesKeys() throws IOException {
    Path f =
        file(
            """
        database:
          postgres:
            max_open_conns: 24
            max_idle_conns: 6
            conn_max_idle_time_secs: 120
        """);

    DatabaseSettings db = ConfigLoader.load(f.toString(), Map.of()).config().database;

    assertThat(db.poolSize()).isEqualTo(24);
    assertThat(db.idleConnections()).isEqualTo(6);
    assertThat(db.connectionMaxIdleTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(db.commandConcurrency()).isEqualTo(12);
    assertThat(db.commandWait()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void canOverrideThePoolFromTheEnvironment() {
    DatabaseSettings db =
        ConfigLoader.load(
                null,
                Map.of(
                    "LEDGERSCALE_DATABASE_POSTGRES_MAX_OPEN_CONNS", "40",
                    "LEDGERSCALE_DATABASE_MAX_CONCURRENT_COMMANDS", "30",
                    "LEDGERSCALE_DATABASE_COMMAND_QUEUE_TIMEOUT", "1m"))
            .config()
            .database;

    assertThat(db.poolSize()).isEqualTo(40);
    assertThat(db.idleConnections()).as("max_idle_conns defaults to 10").isEqualTo(10);
    assertThat(db.commandConcurrency()).isEqualTo(30);
    assertThat(db.commandWait()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void cannotLoadAPoolTooSmallOrAGateAsLargeAsThePool() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("LEDGERSCALE_DATABASE_POSTGRES_MAX_OPEN_CONNS", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.postgres.max_open_conns: 1 is too small");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("LEDGERSCALE_DATABASE_MAX_CONCURRENT_COMMANDS", "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "database.max_concurrent_commands: 10 must be 0 (half the pool) or between 1 and"
                + " max_open_conns - 1 (9)");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("LEDGERSCALE_DATABASE_POSTGRES_MAX_IDLE_CONNS", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max_idle_conns");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("LEDGERSCALE_DATABASE_COMMAND_QUEUE_TIMEOUT", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.command_queue_timeout");
  }

  @Test
  void cannotLoadPrefixesTailscaleClientsWouldNotUse() throws IOException {
    assertThatThrownBy(
            () -> ConfigLoader.load(file("prefixes:\n  v4: 10.0.0.0/8\n").toString(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prefixes.v4: 10.0.0.0/8 is not inside Tailscale's 100.64.0.0/10");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("LEDGERSCALE_PREFIXES_V6", "fd00::/64")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "prefixes.v6: fd00::/64 is not inside Tailscale's fd7a:115c:a1e0::/48");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("LEDGERSCALE_PREFIXES_ALLOCATION", "spread")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prefixes.allocation: 'spread' is not one of sequential, random");
    LedgerscaleConfig c =
        ConfigLoader.load(
                file("""
        prefixes:
          v4: 100.96.0.0/16
          v6: fd7a:115c:a1e0:1::/64
          allocation: random
        """)
                    .toString(),
                Map.of())
            .config();
    assertThat(c.prefixes.v4).isEqualTo("100.96.0.0/16");
    assertThat(c.prefixes.allocation).isEqualTo("random");
  }
}
