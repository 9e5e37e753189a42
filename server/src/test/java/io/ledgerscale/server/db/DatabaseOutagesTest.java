// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;

class DatabaseOutagesTest {
  @Test
  void shouldRecogniseALostOrUnobtainableConnectionAnywhereInTheChain() {
    assertThat(
            DatabaseOutages.causing(
                new CommandExecutionException(
                    "failed",
                    new IllegalStateException(
                        new SQLTransientConnectionException(
                            "ledgerscale - Connection is not available, request timed out")))))
        .isPresent();
    assertThat(
            DatabaseOutages.causing(
                new RuntimeException(new SQLException("An I/O error occurred", "08006"))))
        .isPresent();
    assertThat(DatabaseOutages.causing(new SQLException("terminating connection", "57P01")))
        .isPresent();
    assertThat(
            DatabaseOutages.causing(
                new IllegalStateException(
                    "JDBC rollback failed", new SQLException("Connection is closed"))))
        .isPresent();
  }

  @Test
  void shouldNotMistakeOtherDatabaseErrorsForAnOutage() {
    assertThat(DatabaseOutages.causing(new RuntimeException(new SQLException("too long", "22001"))))
        .isEmpty();
    assertThat(DatabaseOutages.causing(new SQLException("protocol violation", "08P01"))).isEmpty();
    assertThat(DatabaseOutages.causing(new SQLException("no state"))).isEmpty();
    assertThat(DatabaseOutages.causing(new IllegalStateException("not the database"))).isEmpty();
  }
}
