// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static io.ledgerscale.server.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.server.support.Commands;
import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.TestConfigs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two servers on one database, each with its own cached Tailnet aggregate, creating users at the
 * same time. The loser of each race hits PostgreSQL's unique constraint on the event stream; that
 * must come back as a ConcurrencyException and be retried on fresh state, so every command succeeds
 * with its own id and name.
 */
class TwoInstancesTest {
  private static final int PER_SERVER = 15;

  @Test
  void shouldRetryLostRacesBetweenServersSharingADatabase() throws Exception {
    try (EmbeddedPostgres db =
        EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(TestConfigs.PG_BINARIES.toFile())
            .start()) {
      new JdbcTemplate(db.getPostgresDatabase()).execute("CREATE DATABASE shared");
      String database =
          "database:\n  type: postgres\n  postgres:\n    host: localhost\n    port: "
              + db.getPort()
              + "\n    name: shared\n    user: postgres\n";
      Path configA = TestConfigs.rewrite(dir("a"), database);
      Path configB = TestConfigs.rewrite(dir("b"), database);

      try (RunningServer a = RunningServer.start(configA);
          RunningServer b = RunningServer.start(configB)) {
        // warm both caches so each server holds a Tailnet that the other one will make stale
        Commands.createUser(a.commands(), "warm-a");
        Commands.createUser(b.commands(), "warm-b");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
          Future<List<Long>> fromA = pool.submit(create(a, "a"));
          Future<List<Long>> fromB = pool.submit(create(b, "b"));
          Set<Long> ids = new TreeSet<>(fromA.get());
          ids.addAll(fromB.get());
          assertThat(ids).hasSize(2 * PER_SERVER);
        } finally {
          pool.shutdownNow();
        }

        List<UserView> users =
            await(() -> Commands.users(a.queries()), l -> l.size() == 2 * PER_SERVER + 2);
        assertThat(users.stream().map(UserView::id).collect(Collectors.toSet()))
            .hasSize(2 * PER_SERVER + 2);
        assertThat(
                a.jdbc()
                    .queryForObject(
                        "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%.ApiKeyCreatedEvent'",
                        Long.class))
            .as("the second server found the first one's admin key and made none")
            .isEqualTo(1);
      }
    }
  }

  private static Callable<List<Long>> create(RunningServer server, String prefix) {
    return () -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < PER_SERVER; i++) {
        ids.add(Commands.createUser(server.commands(), prefix + "-user-" + i));
      }
      return ids;
    };
  }

  private static Path dir(String name) throws java.io.IOException {
    return Files.createDirectories(
        TestConfigs.ROOT.resolve("two-" + name + "-" + System.nanoTime()));
  }
}
