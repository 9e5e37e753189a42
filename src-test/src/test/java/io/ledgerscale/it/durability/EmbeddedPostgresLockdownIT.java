// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.db.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL as a local attacker finds it: no login without the password, the password
 * file and the binaries folder closed to other users, a binaries folder others could write to never
 * run from, and a cluster made by an older Ledgerscale (which trusted every local login) locked at
 * its first start here, its data kept.
 */
class EmbeddedPostgresLockdownIT {
  private static final Path SHARED_BINARIES = Path.of("target", "postgres-bin").toAbsolutePath();

  @Test
  void shouldRefuseALoginWithoutThePassword() throws Exception {
    Path dataDir = freshDir("lockdown-fresh").resolve("data");
    try (EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(config(dataDir, SHARED_BINARIES))) {
      assertThatThrownBy(() -> login(server.port(), "postgres", null))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> login(server.port(), "postgres", "wrong-password"))
          .isInstanceOf(SQLException.class);
      assertThat(select(server.port(), EmbeddedDatabase.password(dataDir), "SELECT 1"))
          .isEqualTo("1");

      assertThat(mode(dataDir.resolve("postgres.password"))).isEqualTo("rw-------");
      assertThat(hba(dataDir)).doesNotContainPattern("(?m)^\\s*(local|host).*\\btrust\\b");
      assertThat(mode(SHARED_BINARIES)).isEqualTo("rwx------");
      assertThat(writableByOthers(SHARED_BINARIES)).isEmpty();
    }
  }

  @Test
  void shouldLockAClusterThatTrustedEveryLogin() throws Exception {
    Path dataDir = freshDir("lockdown-upgrade").resolve("data");
    Path cluster = Files.createDirectories(dataDir.resolve("postgres"));
    // what every Ledgerscale before the password made: zonky's initdb, trust for everyone
    try (EmbeddedPostgres legacy =
        EmbeddedPostgres.builder()
            .setDataDirectory(cluster)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(SHARED_BINARIES.resolve("zonky").toFile())
            .setRegisterShutdownHook(false)
            .start()) {
      try (Connection c = login(legacy.getPort(), "postgres", null);
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE kept (v text)");
        st.execute("INSERT INTO kept VALUES ('from before the upgrade')");
      }
    }
    assertThat(hba(dataDir)).containsPattern("(?m)^\\s*host.*\\btrust\\b");
    assertThat(dataDir.resolve("postgres.password")).doesNotExist();

    try (EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(config(dataDir, SHARED_BINARIES))) {
      assertThatThrownBy(() -> login(server.port(), "postgres", null))
          .isInstanceOf(SQLException.class);
      String password = EmbeddedDatabase.password(dataDir);
      assertThat(select(server.port(), password, "SELECT v FROM kept"))
          .isEqualTo("from before the upgrade");
      assertThat(mode(dataDir.resolve("postgres.password"))).isEqualTo("rw-------");
      assertThat(hba(dataDir)).doesNotContainPattern("(?m)^\\s*(local|host).*\\btrust\\b");
    }
    // and the upgraded cluster starts again as any other
    try (EmbeddedPostgresServer again =
        EmbeddedPostgresServer.start(config(dataDir, SHARED_BINARIES))) {
      assertThat(select(again.port(), EmbeddedDatabase.password(dataDir), "SELECT v FROM kept"))
          .isEqualTo("from before the upgrade");
    }
  }

  @Test
  void shouldNeverRunFromABinariesFolderOthersCouldWrite() throws Exception {
    Path dir = freshDir("lockdown-planted");
    Path binaries = Files.createDirectory(dir.resolve("postgres-bin"));
    Files.setPosixFilePermissions(binaries, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(binaries.resolve("planted"), "#!/bin/sh\ntouch /tmp/pwned\n");
    try (EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(config(dir.resolve("data"), binaries))) {
      assertThat(mode(binaries)).isEqualTo("rwx------");
      assertThat(binaries.resolve("planted")).doesNotExist();
      try (Stream<Path> siblings = Files.list(dir)) {
        assertThat(siblings.map(p -> p.getFileName().toString()))
            .anyMatch(name -> name.startsWith("postgres-bin.untrusted-"));
      }
    }
  }

  @Test
  void shouldRefuseABinariesFolderOfAnotherUser() throws Exception {
    assumeThat(System.getProperty("user.name"))
        .as("only root can hand a folder to another user")
        .isEqualTo("root");
    Path dir = freshDir("lockdown-foreign");
    Path binaries = Files.createDirectory(dir.resolve("postgres-bin"));
    Files.setAttribute(binaries, "unix:uid", 65534);
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(config(dir.resolve("data"), binaries)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("belongs to uid 65534");
  }

  @Test
  void shouldRefuseAPasswordFileOthersCanRead() throws Exception {
    Path dataDir = Files.createDirectories(freshDir("lockdown-readable").resolve("data"));
    Files.writeString(dataDir.resolve("postgres.password"), "a-password-others-have-read");
    Files.setPosixFilePermissions(
        dataDir.resolve("postgres.password"), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(config(dataDir, SHARED_BINARIES)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("chmod 600");
  }

  private static Connection login(int port, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port + "/postgres", user, password);
  }

  private static String select(int port, String password, String sql) throws SQLException {
    try (Connection c = login(port, "postgres", password);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String hba(Path dataDir) throws IOException {
    return Files.readString(dataDir.resolve("postgres/pg_hba.conf"));
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<Path> writableByOthers(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !Files.isSymbolicLink(p))
          .filter(
              p -> {
                try {
                  Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                  return perms.contains(PosixFilePermission.GROUP_WRITE)
                      || perms.contains(PosixFilePermission.OTHERS_WRITE);
                } catch (IOException e) {
                  return true;
                }
              })
          .toList();
    }
  }

  private static Path freshDir(String name) throws IOException {
    return Files.createDirectories(
        Path.of("target", name + "-" + System.nanoTime()).toAbsolutePath());
  }

  private static LedgerscaleConfig config(Path dataDir, Path binaries) throws IOException {
    Files.createDirectories(dataDir);
    Path file =
        Files.writeString(
            dataDir.resolveSibling("config-" + System.nanoTime() + ".yaml"),
            "data_dir: "
                + dataDir
                + "\ndatabase:\n  type: embedded\n  embedded:\n    port: 0\n    binaries_path: "
                + binaries
                + "\n");
    return ConfigLoader.load(file.toString(), Map.of()).config();
  }
}
