// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private PostgreSQL of {@code database.type: embedded}: its cluster lives in data_dir/postgres
 * and survives restarts; it listens on localhost only, on {@code database.embedded.port}.
 * Durability settings are forced on because zonky's defaults (-F, synchronous_commit=off) are meant
 * for throwaway test databases.
 *
 * <p>If the previous server was killed (kill -9), its postmaster keeps running detached; it is
 * stopped here before the new one starts, unless another live process still holds the cluster's
 * lock file.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  public static final String DATABASE = "ledgerscale";
  public static final String USER = "postgres";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String ZONKY_LOCK = "epg-lock";

  private final EmbeddedPostgres postgres;
  private final Path directory;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path directory) {
    this.postgres = postgres;
    this.directory = directory;
  }

  public static EmbeddedPostgresServer start(LedgerscaleConfig config) {
    Path cluster = config.dataDirectory().resolve("postgres");
    Path binaries = config.pathOr(config.database.embedded.binariesPath, "postgres-bin");
    try {
      Files.createDirectories(cluster);
      Files.createDirectories(binaries);
      stopOrphanedPostmaster(cluster);
      refuseTakenPort(config.database.embedded.port);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(cluster)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binaries.toFile())
              .setPort(config.database.embedded.port)
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "localhost")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100")
              .start();
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, cluster);
      server.refuseForeignCluster();
      server.createDatabaseIfMissing();
      log.info(
          "Embedded PostgreSQL running on localhost:{} with data in {}", pg.getPort(), cluster);
      return server;
    } catch (IOException | SQLException | RuntimeException e) {
      throw new ConfigException(
          "cannot start the embedded PostgreSQL in " + cluster + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() throws IOException {
    log.info("Stopping embedded PostgreSQL");
    postgres.close();
  }

  /**
   * zonky reports success even when its postmaster could not bind the port and exited, leaving us
   * connected to whatever else listens there: another Ledgerscale's database. Refuse a taken port
   * up front...
   */
  private static void refuseTakenPort(int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new ConfigException(
          "database.embedded.port "
              + port
              + " is already in use on localhost; stop what"
              + " listens there or choose another port (0 picks a free one)",
          e);
    }
  }

  /**
   * ...and, since the port can still be taken in between, check that the server we reached runs our
   * cluster.
   */
  private void refuseForeignCluster() throws SQLException, IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW data_directory")) {
      rs.next();
      Path served = Path.of(rs.getString(1)).toRealPath();
      if (!served.equals(directory.toRealPath())) {
        throw new ConfigException(
            "the PostgreSQL on localhost:"
                + port()
                + " serves "
                + served
                + ", not "
                + directory
                + "; another server holds the port");
      }
    }
  }

  private void createDatabaseIfMissing() throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = c.createStatement()) {
            create.execute("CREATE DATABASE " + DATABASE);
          }
        }
      }
    }
  }

  private static void stopOrphanedPostmaster(Path cluster) throws IOException {
    Path pidFile = cluster.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    Optional<ProcessHandle> postmaster =
        readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    if (postmaster.isEmpty()) {
      return; // stale pid file after a machine crash: PostgreSQL recovers by itself
    }
    try (RandomAccessFile lockFile =
        new RandomAccessFile(cluster.resolve(ZONKY_LOCK).toFile(), "rw")) {
      FileLock lock;
      try {
        lock = lockFile.getChannel().tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new ConfigException(
            "the embedded PostgreSQL in "
                + cluster
                + " is in use by another running"
                + " Ledgerscale; stop it first or use another data_dir");
      }
      try {
        ProcessHandle orphan = postmaster.get();
        log.warn(
            "Stopping PostgreSQL (pid {}) left running by a Ledgerscale that did not shut down",
            orphan.pid());
        orphan.destroy();
        try {
          orphan.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          if (orphan.isAlive()) {
            throw new ConfigException(
                "PostgreSQL pid " + orphan.pid() + " in " + cluster + " did not stop");
          }
        }
      } finally {
        lock.release();
      }
    }
  }

  private static Optional<Long> readPid(Path pidFile) throws IOException {
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
