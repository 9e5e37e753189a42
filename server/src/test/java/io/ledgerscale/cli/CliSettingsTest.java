// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliSettingsTest {
  @TempDir Path dir;

  @Test
  void shouldPreferTheFlagThenOurEnvThenHeadscalesEnvThenTheConfig() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "cli:\n  address: config.example.com:443\n  api_key: from-config\n");
    Map<String, String> both =
        Map.of(
            "LEDGERSCALE_CLI_ADDRESS",
            "https://ours.example.com",
            "HEADSCALE_CLI_ADDRESS",
            "theirs.example.com:443",
            "HEADSCALE_CLI_API_KEY",
            "from-headscale-env");

    assertThat(CliSettings.load(config.toString(), both).address("http://127.0.0.1:9"))
        .isEqualTo("http://127.0.0.1:9");
    assertThat(CliSettings.load(config.toString(), both).address(null))
        .isEqualTo("https://ours.example.com");
    assertThat(
            CliSettings.load(
                    config.toString(), Map.of("HEADSCALE_CLI_ADDRESS", "theirs.example.com:443"))
                .address(null))
        .isEqualTo("https://theirs.example.com:443");
    assertThat(CliSettings.load(config.toString(), Map.of()).address(null))
        .isEqualTo("https://config.example.com:443");
    assertThat(CliSettings.load(config.toString(), both).apiKey(null))
        .contains("from-headscale-env");
    assertThat(CliSettings.load(config.toString(), Map.of()).apiKey(null)).contains("from-config");
  }

  @Test
  void shouldFallBackToTheInitialKeyInTheDataDirectory() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("initial-api-key"), "lskey-api-abcdefghijkl-secret\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "data_dir: " + data + "\nlisten_addr: 0.0.0.0:8181\n");

    CliSettings settings = CliSettings.load(config.toString(), Map.of());

    assertThat(settings.apiKey(null)).contains("lskey-api-abcdefghijkl-secret");
    assertThat(settings.address(null)).isEqualTo("http://127.0.0.1:8181");
  }

  @Test
  void shouldFindTheInitialKeyBesideTheConfigWhereverItRuns() throws Exception {
    Path server = Files.createDirectories(dir.resolve("srv"));
    Files.createDirectories(server.resolve("data"));
    Files.writeString(server.resolve("data/initial-api-key"), "lskey-api-abcdefghijkl-beside\n");
    Path config = Files.writeString(server.resolve("config.yaml"), "data_dir: ./data\n");

    CliSettings settings = CliSettings.load(config.toString(), Map.of(), Optional.empty());

    assertThat(settings.apiKey(null)).contains("lskey-api-abcdefghijkl-beside");
  }

  @Test
  void shouldFindTheInitialKeyOfTheCheckoutTheScriptRunsFrom() throws Exception {
    Path checkout = Files.createDirectories(dir.resolve("checkout/data"));
    Files.writeString(checkout.resolve("initial-api-key"), "lskey-api-abcdefghijkl-checkout\n");
    Map<String, String> env = Map.of("LEDGERSCALE_CONFIG", "", "HOME", "/nonexistent");

    CliSettings settings = CliSettings.load(null, env, Optional.of(dir.resolve("checkout")));

    assertThat(settings.apiKey(null)).contains("lskey-api-abcdefghijkl-checkout");
    assertThat(settings.initialKeyCandidates())
        .first()
        .isEqualTo(Path.of("").toAbsolutePath().resolve("data/initial-api-key"));
  }

  @Test
  void shouldLookOnlyInAnAbsoluteDataDirectory() throws Exception {
    Path config = Files.writeString(dir.resolve("abs.yaml"), "data_dir: /var/lib/ledgerscale\n");

    assertThat(
            CliSettings.load(config.toString(), Map.of(), Optional.of(dir)).initialKeyCandidates())
        .containsExactly(Path.of("/var/lib/ledgerscale/initial-api-key"));
  }

  @Test
  void shouldUsePlainHttpOnlyOnThisMachine() {
    assertThat(CliSettings.baseUri("localhost:8080")).isEqualTo("http://localhost:8080");
    assertThat(CliSettings.baseUri(":8080")).isEqualTo("http://127.0.0.1:8080");
    assertThat(CliSettings.baseUri("[::1]:8080")).isEqualTo("http://[::1]:8080");
    assertThat(CliSettings.baseUri("headscale.example.com:443"))
        .isEqualTo("https://headscale.example.com:443");
    assertThat(CliSettings.baseUri("http://10.0.0.1:8080/")).isEqualTo("http://10.0.0.1:8080");
  }

  @Test
  void cannotUseAConfigFileThatIsNotThere() {
    assertThatThrownBy(() -> CliSettings.load(dir.resolve("missing.yaml").toString(), Map.of()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("missing.yaml");
  }
}
