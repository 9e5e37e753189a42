// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.server.Ledgerscale.ServeArguments;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerscaleTest {

  @Test
  void shouldServeWithoutArguments() {
    assertThat(ServeArguments.parse(new String[0])).isEqualTo(new ServeArguments(null, List.of()));
  }

  @Test
  void shouldServeWithConfigBeforeOrAfterTheCommand() {
    assertThat(ServeArguments.parse(new String[] {"serve", "-c", "/etc/ls.yaml"}).configFile())
        .isEqualTo("/etc/ls.yaml");
    assertThat(ServeArguments.parse(new String[] {"--config", "a.yaml", "serve"}).configFile())
        .isEqualTo("a.yaml");
    assertThat(
            ServeArguments.parse(new String[] {"serve", "--config=b.yaml", "--server.port=9000"}))
        .isEqualTo(new ServeArguments("b.yaml", List.of("--server.port=9000")));
  }

  @Test
  void shouldHandEverythingElseToTheCli() {
    assertThat(ServeArguments.parse(new String[] {"users", "list"})).isNull();
    assertThat(ServeArguments.parse(new String[] {"-c", "a.yaml", "nodes", "list"})).isNull();
    assertThat(ServeArguments.parse(new String[] {"replay"})).isNull();
  }

  @Test
  void shouldLetTheCliAnswerServeHelpRatherThanStartAServer() {
    assertThat(ServeArguments.parse(new String[] {"serve", "--help"})).isNull();
    assertThat(ServeArguments.parse(new String[] {"serve", "-c", "a.yaml", "-h"})).isNull();
  }
}
