// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.it.e2e.support.Ports;
import io.ledgerscale.it.e2e.support.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server is killed with SIGKILL right after its first start, then started again on the same
 * data directory. What it committed (the first admin key, created by a command) must still be
 * there, the second start must not create another key, the PostgreSQL the killed process left
 * running must be taken over, and a graceful stop must then leave nothing running.
 */
class KillNineRestartIT {
  private static final String API_KEY_CREATED =
      "io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent";

  @Test
  void shouldKeepCommittedStateWhenKilledWithSigkill() throws Exception {
    Path dir =
        Files.createDirectories(
            Path.of("target", "kill-nine-" + System.nanoTime()).toAbsolutePath());
    Path dataDir = dir.resolve("data");
    int pgPort = Ports.freeTcp();
    int metricsPort = Ports.freeTcp();
    Path config =
        Files.writeString(
            dir.resolve("config.yaml"),
            "listen_addr: 127.0.0.1:"
                + Ports.freeTcp()
                + "\n"
                + "metrics_listen_addr: 127.0.0.1:"
                + metricsPort
                + "\n"
                + "data_dir: "
                + dataDir
                + "\n"
                + "database:\n  type: embedded\n  embedded:\n    port: "
                + pgPort
                + "\n"
                + "    binaries_path: "
                + Path.of("target", "postgres-bin").toAbsolutePath()
                + "\n");
    Path log = dir.resolve("server.log");
    Path keyFile = dataDir.resolve("initial-api-key");
    Path postmasterPid = dataDir.resolve("postgres/postmaster.pid");
    try {
      String firstKey;
      ServerProcess first = ServerProcess.start(config, metricsPort, log);
      try {
        first.awaitHealthy(Duration.ofMinutes(3));
        awaitFile(keyFile, Duration.ofMinutes(1));
        firstKey = Files.readString(keyFile);
        assertThat(awaitCount(dataDir, pgPort, "SELECT count(*) FROM api_key_view", 1))
            .isEqualTo(1);
      } finally {
        first.killHard();
      }
      assertThat(postmasterPid).as("the killed server's PostgreSQL is still running").exists();

      ServerProcess second = ServerProcess.start(config, metricsPort, log);
      try {
        second.awaitHealthy(Duration.ofMinutes(3));
        assertThat(
                count(
                    dataDir,
                    pgPort,
                    "SELECT count(*) FROM domainevententry WHERE payloadtype = '"
                        + API_KEY_CREATED
                        + "'"))
            .isEqualTo(1);
        assertThat(count(dataDir, pgPort, "SELECT count(*) FROM api_key_view")).isEqualTo(1);
        assertThat(
                count(
                    dataDir,
                    pgPort,
                    "SELECT count(*) FROM audit_entry WHERE action = 'ApiKeyCreatedEvent'"))
            .isEqualTo(1);
        assertThat(Files.readString(keyFile)).isEqualTo(firstKey);
        assertThat(second.stopGracefully(60)).isIn(0, 143);
      } finally {
        second.killHard();
      }
      assertThat(postmasterPid).as("a graceful stop stops PostgreSQL").doesNotExist();
      assertThat(Files.readString(log)).doesNotContain(firstKey.strip());
    } finally {
      stopLeftoverPostgres(postmasterPid);
    }
  }

  private static void awaitFile(Path file, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " was not written");
      }
      Thread.sleep(100);
    }
  }

  private static long awaitCount(Path dataDir, int port, String sql, long expected)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long value = count(dataDir, port, sql);
    while (value != expected && System.nanoTime() < deadline) {
      Thread.sleep(200);
      value = count(dataDir, port, sql);
    }
    return value;
  }

  private static long count(Path dataDir, int port, String sql) throws SQLException, IOException {
    try (Connection c = EmbeddedDatabase.connect(dataDir, port, "ledgerscale");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Only if the test failed midway: stop the PostgreSQL this test's server started, by its pid. */
  private static void stopLeftoverPostgres(Path postmasterPid) throws IOException {
    if (!Files.exists(postmasterPid)) {
      return;
    }
    Optional<ProcessHandle> postmaster =
        ProcessHandle.of(Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim()));
    postmaster.ifPresent(ProcessHandle::destroy);
  }
}
