// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
