// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.durability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A test's own connection to a server's embedded PostgreSQL, as an operator would make one: as the
 * superuser, with the password the server keeps in its data directory.
 */
final class EmbeddedDatabase {
  private EmbeddedDatabase() {}

  static String password(Path dataDir) throws IOException {
    return Files.readString(dataDir.resolve("postgres.password")).strip();
  }

  static Connection connect(Path dataDir, int port, String database)
      throws SQLException, IOException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port + "/" + database, "postgres", password(dataDir));
  }

  /** The postmaster's pid, from the first line of postmaster.pid (absent while it is stopped). */
  static Optional<Long> postmasterPid(Path dataDir) {
    try {
      return Optional.of(
          Long.parseLong(
              Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim()));
    } catch (IOException | RuntimeException absent) {
      return Optional.empty();
    }
  }
}
