// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpringSettingsTest {

  @Test
  void shouldDeriveServerAndManagementAddressesAndLogLevel() {
    LedgerscaleConfig c = new LedgerscaleConfig();
    c.listenAddr = "0.0.0.0:8081";
    c.metricsListenAddr = "127.0.0.1:9091";
    c.log.level = "debug";

    Map<String, Object> p = SpringSettings.of(c);

    assertThat(p)
        .containsEntry("server.port", 8081)
        .containsEntry("server.address", "0.0.0.0")
        .containsEntry("management.server.port", 9091)
        .containsEntry("management.server.address", "127.0.0.1")
        .containsEntry("logging.level.io.ledgerscale", "debug");
  }

  @Test
  void shouldListenEverywhereForABarePortAndDisableEmptyMetrics() {
    LedgerscaleConfig c = new LedgerscaleConfig();
    c.listenAddr = ":8080";
    c.metricsListenAddr = "";
    c.log.format = "json";

    Map<String, Object> p = SpringSettings.of(c);

    assertThat(p)
        .containsEntry("server.port", 8080)
        .doesNotContainKey("server.address")
        .containsEntry("management.server.port", -1)
        .containsEntry("logging.structured.format.console", "ecs");
  }

  @Test
  void shouldHandTheConfiguredNoiseKeyPathToTheGateway() {
    LedgerscaleConfig c = new LedgerscaleConfig();
    c.dataDir = "/var/lib/ledgerscale";
    c.noise.privateKeyPath = "/etc/ledgerscale/noise_private.key";

    assertThat(SpringSettings.of(c))
        .containsEntry("ledgerscale.noise.private-key-path", "/etc/ledgerscale/noise_private.key");
  }

  @Test
  void shouldKeepTheNoiseKeyInTheDataDirectoryByDefault() {
    LedgerscaleConfig c = new LedgerscaleConfig();
    c.dataDir = "/var/lib/ledgerscale";

    assertThat(SpringSettings.of(c))
        .containsEntry(
            "ledgerscale.noise.private-key-path", "/var/lib/ledgerscale/noise_private.key");
  }
}
