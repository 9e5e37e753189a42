// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import static io.ledgerscale.server.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.server.bootstrap.InitialApiKey;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.support.Commands;
import io.ledgerscale.server.support.RunningServer;
import io.ledgerscale.server.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * State survives a stop and a start on the same data directory, including the Tailnet aggregate and
 * the policy document restored from their snapshots (the cache is gone after a restart, so the
 * snapshot is what is read).
 */
class RestartTest {
  /** Enough users that the Tailnet stream passes its snapshot threshold. */
  private static final int USERS = 260;

  /** Enough policy versions that the policy document passes its snapshot threshold. */
  private static final int POLICY_VERSIONS = 25;

  private static String policy(int version) {
    return "{\n  // version " + version + "\n  \"tagOwners\": {\"tag:v" + version + "\": []},\n}\n";
  }

  @Test
  void shouldKeepStateAcrossRestartAndRestoreTailnetFromSnapshot() throws Exception {
    Path config = TestConfigs.write("restart", "");
    String initialKey;
    Path dataDir;
    try (RunningServer server = RunningServer.start(config)) {
      dataDir = server.bean(LedgerscaleConfig.class).dataDirectory();
      for (int i = 1; i <= USERS; i++) {
        Commands.createUser(server.commands(), "user" + i);
      }
      assertThat(
              server
                  .jdbc()
                  .queryForObject(
                      "SELECT count(*) FROM snapshotevententry WHERE aggregateidentifier"
                          + " = 'tailnet'",
                      Long.class))
          .isPositive();
      for (int v = 1; v <= POLICY_VERSIONS; v++) {
        assertThat(
                (Long) Commands.send(server.commands(), new SetPolicyCommand(policy(v)), "p-" + v))
            .isEqualTo(v);
      }
      assertThat(
              server
                  .jdbc()
                  .queryForObject(
                      "SELECT count(*) FROM snapshotevententry WHERE aggregateidentifier = ?",
                      Long.class,
                      AggregateIds.POLICY))
          .isPositive();
      await(() -> Commands.users(server.queries()), users -> users.size() == USERS);
      initialKey = Files.readString(dataDir.resolve(InitialApiKey.FILE_NAME));
    }
    assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();

    try (RunningServer server = RunningServer.start(config)) {
      assertThat(Commands.users(server.queries())).hasSize(USERS);
      Throwable duplicate = null;
      try {
        Commands.send(
            server.commands(),
            new CreateUserCommand("user7", null, null, null, null, null),
            "dup-7");
      } catch (Throwable t) {
        duplicate = t;
      }
      assertThat(ServerBootTest.findCause(duplicate, CommandRefusedException.class)).isNotNull();
      assertThat(Commands.createUser(server.commands(), "after-restart")).isEqualTo(USERS + 1);
      assertThat(Files.readString(dataDir.resolve(InitialApiKey.FILE_NAME))).isEqualTo(initialKey);
      // the policy in force, restored from its snapshot: setting it again changes nothing
      assertThat(
              (Long)
                  Commands.send(
                      server.commands(), new SetPolicyCommand(policy(POLICY_VERSIONS)), "p-same"))
          .isEqualTo(POLICY_VERSIONS);
      assertThat(
              (Long)
                  Commands.send(
                      server.commands(),
                      new SetPolicyCommand(policy(POLICY_VERSIONS + 1)),
                      "p-new"))
          .isEqualTo(POLICY_VERSIONS + 1);
      assertThat(
              server
                  .jdbc()
                  .queryForObject(
                      "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%.ApiKeyCreatedEvent'",
                      Long.class))
          .isEqualTo(1);
    }
  }
}
