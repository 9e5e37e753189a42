// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.support.TestConfigs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

  @Test
  void cannotStartOnAPortAnotherServerHolds() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LedgerscaleConfig config = configOnPort(squatter.getLocalPort());

      assertThatThrownBy(() -> EmbeddedPostgresServer.start(config))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("already in use");
    }
  }

  @Test
  void shouldNotShareAnotherLedgerscalesDatabase() throws Exception {
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(configOnPort(0))) {
      LedgerscaleConfig second = configOnPort(first.port());

      assertThatThrownBy(() -> EmbeddedPostgresServer.start(second))
          .isInstanceOf(ConfigException.class);
      assertThat(first.directory()).exists();
    }
  }

  private static LedgerscaleConfig configOnPort(int port) {
    String yaml =
        "database:\n  type: embedded\n  embedded:\n    port: "
            + port
            + "\n    binaries_path: "
            + TestConfigs.PG_BINARIES
            + "\n";
    return ConfigLoader.load(TestConfigs.write("embedded-pg", yaml).toString(), Map.of()).config();
  }
}
