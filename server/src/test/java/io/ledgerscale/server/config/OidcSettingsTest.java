// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcSettingsTest {
  private static final String RESOURCES = "src/test/resources/config/";

  @TempDir Path tmp;

  private Path file(String yaml) throws IOException {
    Path p = tmp.resolve("config.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void canLoadTheAnsibleGuideBlockAndHandItToTheAdminApi() {
    ConfigLoader.Loaded loaded = ConfigLoader.load(RESOURCES + "ansible-oidc.yaml", Map.of());

    assertThat(loaded.warnings()).isEmpty();
    Map<String, Object> p = SpringSettings.of(loaded.config());
    assertThat(p)
        .containsEntry(
            "ledgerscale.oidc.issuer", "https://authentik.example.com/application/o/headscale/")
        .containsEntry("ledgerscale.oidc.client-id", "headscale-client")
        .containsEntry("ledgerscale.oidc.client-secret", "vaulted-secret")
        .containsEntry("ledgerscale.oidc.only-start-if-oidc-is-available", true)
        .containsEntry("ledgerscale.oidc.scope", "openid,profile,email")
        .containsEntry("ledgerscale.oidc.pkce.enabled", true)
        .containsEntry("ledgerscale.oidc.pkce.method", "S256")
        .containsEntry("ledgerscale.oidc.email-verified-required", true)
        .doesNotContainKey("ledgerscale.oidc.strip-email-domain");
  }

  @Test
  void shouldPassTheAuthentikAllowListsExtraParamsAndStripEmailDomainOn() {
    ConfigLoader.Loaded loaded = ConfigLoader.load(RESOURCES + "authentik-oidc.yaml", Map.of());

    Map<String, Object> p = SpringSettings.of(loaded.config());
    assertThat(p)
        .containsEntry("ledgerscale.oidc.extra-params[domain_hint]", "acmecorp.net")
        .containsEntry("ledgerscale.oidc.allowed-domains", "acmecorp.net")
        .containsEntry("ledgerscale.oidc.allowed-groups", "/headscale")
        .containsEntry("ledgerscale.oidc.allowed-users", "dominic@acmecorp.net")
        .containsEntry("ledgerscale.oidc.strip-email-domain", true)
        .containsEntry("ledgerscale.oidc.scope", "openid,profile,email,custom");
  }

  @Test
  void shouldDeriveNothingWithoutAnIssuer() {
    assertThat(SpringSettings.of(new LedgerscaleConfig()))
        .doesNotContainKey("ledgerscale.oidc.issuer");
  }

  @Test
  void canTakeTheSecretFromHeadscalesEnvironmentVariableUnlessLedgerscalesIsSet()
      throws IOException {
    Path config = file("oidc:\n  issuer: https://idp\n  client_id: c\n");

    assertThat(
            ConfigLoader.load(config.toString(), Map.of("HEADSCALE_OIDC_CLIENT_SECRET", "hs"))
                .config()
                .oidc
                .secret())
        .isEqualTo("hs");
    assertThat(
            ConfigLoader.load(
                    config.toString(),
                    Map.of(
                        "HEADSCALE_OIDC_CLIENT_SECRET",
                        "hs",
                        "LEDGERSCALE_OIDC_CLIENT_SECRET",
                        "ls"))
                .config()
                .oidc
                .secret())
        .isEqualTo("ls");
    Files.writeString(tmp.resolve("secret"), "from-file\n");
    Path withPath =
        file(
            "oidc:\n  issuer: https://idp\n  client_id: c\n  client_secret_path: "
                + tmp.resolve("secret")
                + "\n");
    assertThat(
            ConfigLoader.load(withPath.toString(), Map.of("HEADSCALE_OIDC_CLIENT_SECRET", "hs"))
                .config()
                .oidc
                .secret())
        .isEqualTo("from-file");
  }

  @Test
  void cannotStartWithContradictoryOidcSettings() throws IOException {
    Files.writeString(tmp.resolve("secret"), "x");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("oidc:\n  issuer: https://idp\n  client_id: c\n"
                            + "  client_secret: a\n  client_secret_path: "
                            + tmp.resolve("secret")
                            + "\n")
                        .toString(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("oidc: set client_secret or client_secret_path, not both");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("oidc:\n  issuer: https://idp\n  client_id: c\n"
                            + "  pkce:\n    enabled: true\n    method: S512\n")
                        .toString(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("oidc.pkce.method: 'S512' is not one of S256, plain");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("oidc:\n  issuer: https://idp\n  client_id: c\n"
                            + "  client_secret_path: /nonexistent/secret\n")
                        .toString(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("oidc.client_secret_path: cannot read");
  }
}
