// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/** The edges learn of an unreachable database as DatabaseUnavailableException, never as JDBC. */
class GatedCommandBusOutageTest {
  private final CommandGate gate = new CommandGate(2, Duration.ofSeconds(1), Duration.ofSeconds(2));

  @Test
  void shouldTellTheCallerTheDatabaseIsUnavailableWhenNoConnectionCanBeHad() {
    TransactionManager noConnection =
        () -> {
          throw new IllegalStateException(
              "Could not open JDBC Connection",
              new SQLTransientConnectionException("Connection is not available, timed out"));
        };
    GatedCommandBus bus =
        new GatedCommandBus(SimpleCommandBus.builder().transactionManager(noConnection), gate);
    bus.subscribe(String.class.getName(), m -> "handled");
    CommandGateway gateway = gatewayOver(bus);

    assertThatThrownBy(() -> gateway.sendAndWait("a command"))
        .isInstanceOf(DatabaseUnavailableException.class);
  }

  @Test
  void shouldTellTheCallerTheDatabaseIsUnavailableWhenAHandlerLostItsConnection() {
    GatedCommandBus bus = new GatedCommandBus(SimpleCommandBus.builder(), gate);
    bus.subscribe(
        String.class.getName(),
        m -> {
          throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
        });

    assertThatThrownBy(() -> gatewayOver(bus).sendAndWait("a command"))
        .isInstanceOf(DatabaseUnavailableException.class);
  }

  @Test
  void shouldPassOtherFailuresOnAsTheyAre() {
    GatedCommandBus bus = new GatedCommandBus(SimpleCommandBus.builder(), gate);
    bus.subscribe(
        String.class.getName(),
        m -> {
          throw new SQLException("value too long", "22001");
        });

    assertThatThrownBy(() -> gatewayOver(bus).sendAndWait("a command"))
        .isNotInstanceOf(DatabaseUnavailableException.class)
        .hasRootCauseMessage("value too long");
    assertThat(gate.running()).isZero();
  }

  private static CommandGateway gatewayOver(SimpleCommandBus bus) {
    return DefaultCommandGateway.builder().commandBus(bus).build();
  }
}
