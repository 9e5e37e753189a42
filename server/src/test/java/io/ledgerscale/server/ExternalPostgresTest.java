// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static io.ledgerscale.server.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.server.db.EmbeddedPostgresServer;
import io.ledgerscale.server.support.Commands;
import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.TestConfigs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code database.type: postgres} against a PostgreSQL started separately, with a password read
 * from a file.
 */
class ExternalPostgresTest {

  @Test
  void canRunAgainstASeparatelyStartedPostgres() throws Exception {
    try (EmbeddedPostgres external =
        EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(TestConfigs.PG_BINARIES.toFile())
            .start()) {
      JdbcTemplate admin = new JdbcTemplate(external.getPostgresDatabase());
      admin.execute("CREATE ROLE ls_owner LOGIN PASSWORD 'pw-from-file'");
      admin.execute("CREATE DATABASE ls_external OWNER ls_owner");
      Path dir = Files.createDirectories(TestConfigs.ROOT.resolve("external-" + System.nanoTime()));
      Path passwordFile = Files.writeString(dir.resolve("db-password"), "pw-from-file\n");
      Path config =
          TestConfigs.rewrite(
              dir,
              "database:\n  type: postgres\n  postgres:\n    host: localhost\n    port: "
                  + external.getPort()
                  + "\n"
                  + "    name: ls_external\n    user: ls_owner\n    password_file: "
                  + passwordFile
                  + "\n");

      try (RunningServer server = RunningServer.start(config)) {
        assertThat(server.beanNames(EmbeddedPostgresServer.class)).isEmpty();
        long id = Commands.createUser(server.commands(), "external-erin");
        await(
            () -> Commands.users(server.queries()),
            users -> users.stream().anyMatch(u -> u.id() == id));
      }

      JdbcTemplate db = new JdbcTemplate(external.getDatabase("postgres", "ls_external"));
      assertThat(
              db.queryForObject(
                  "SELECT count(*) FROM user_view WHERE name = 'external-erin'", Long.class))
          .isEqualTo(1);
      assertThat(db.queryForObject("SELECT count(*) FROM domainevententry", Long.class))
          .isPositive();
      assertThat(dir.resolve("data/postgres")).doesNotExist();
    }
  }
}
