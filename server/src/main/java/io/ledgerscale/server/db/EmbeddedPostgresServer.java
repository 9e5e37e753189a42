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
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private PostgreSQL of {@code database.type: embedded}: its cluster lives in data_dir/postgres
 * and survives restarts; it listens on localhost only, on {@code database.embedded.port}.
 * Durability settings are forced on because zonky's defaults (-F, synchronous_commit=off) are meant
 * for throwaway test databases.
 *
 * <p>Locked to this server: logins need the superuser's password (SCRAM), generated once into
 * data_dir/postgres.password; pg_hba.conf has no {@code trust} line; the binaries run from a folder
 * only this server's user can write (see {@link BinariesFolder}). A cluster made before the
 * password existed is upgraded at its first start here.
 *
 * <p>If the previous server was killed (kill -9), its postmaster keeps running detached; it is
 * stopped here before the new one starts, unless another live process still holds the cluster's
 * lock file. If the postmaster dies while this server runs, {@link PostmasterSupervisor} starts it
 * again on the same data and port.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  public static final String DATABASE = "ledgerscale";
  public static final String USER = "postgres";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String ZONKY_LOCK = "epg-lock";

  /** A restart waits as long: crash recovery replays the WAL written since the last checkpoint. */
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final Path directory;
  private final Path binaries;
  private final Path passwordFile;
  private final String password;
  private final int port;
  private volatile EmbeddedPostgres postgres;
  private volatile long postmasterPid;
  private PostmasterSupervisor supervisor;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres, Path directory, Path binaries, Path passwordFile, String password)
      throws IOException {
    this.postgres = postgres;
    this.directory = directory;
    this.binaries = binaries;
    this.passwordFile = passwordFile;
    this.password = password;
    this.port = postgres.getPort();
    this.postmasterPid = readPid(directory.resolve("postmaster.pid")).orElse(-1L);
  }

  public static EmbeddedPostgresServer start(LedgerscaleConfig config) {
    Path cluster = config.dataDirectory().resolve("postgres");
    Path binaries = config.pathOr(config.database.embedded.binariesPath, "postgres-bin");
    Path passwordFile = PostgresPassword.fileIn(config.dataDirectory());
    try {
      Files.createDirectories(config.dataDirectory());
      BinariesFolder.prepare(binaries);
      Files.createDirectories(cluster);
      stopOrphanedPostmaster(cluster);
      refuseTakenPort(config.database.embedded.port);
      String password = PostgresPassword.loadOrCreate(passwordFile);
      boolean upgrade =
          Files.exists(cluster.resolve("postgresql.conf")) && HostBasedAuth.trustsAnyone(cluster);
      EmbeddedPostgres pg =
          launch(
              cluster,
              binaries,
              config.database.embedded.port,
              passwordFile,
              password,
              upgrade ? HostBasedAuth.UPGRADE : HostBasedAuth.SCRAM_ONLY,
              STARTUP_WAIT);
      EmbeddedPostgresServer server =
          new EmbeddedPostgresServer(pg, cluster, binaries, passwordFile, password);
      try {
        server.refuseForeignCluster();
        if (upgrade) {
          server.requirePassword();
        }
        server.createDatabaseIfMissing();
        BinariesFolder.lockDown(binaries);
      } catch (IOException | SQLException | RuntimeException e) {
        // never leave a half-upgraded cluster (still trusting the superuser) running
        pg.close();
        throw e;
      }
      server.supervisor = PostmasterSupervisor.watch(server);
      log.info(
          "Embedded PostgreSQL running on localhost:{} with data in {}", pg.getPort(), cluster);
      return server;
    } catch (IOException | SQLException | RuntimeException e) {
      throw new ConfigException(
          "cannot start the embedded PostgreSQL in " + cluster + ": " + e.getMessage(), e);
    }
  }

  /**
   * A fresh cluster is made with password authentication from the start (initdb reads the password
   * file; zonky passes its "locale" settings to initdb as {@code --key=value}, which is how the
   * auth options get there), so it never trusts anyone, not even during its first start.
   */
  private static EmbeddedPostgres launch(
      Path cluster,
      Path binaries,
      int port,
      Path passwordFile,
      String password,
      String hba,
      Duration startupWait)
      throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(cluster)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(BinariesFolder.unpackDirectory(binaries).toFile())
        .setPort(port)
        .setRegisterShutdownHook(false)
        .setPGStartupWait(startupWait)
        .setLocaleConfig("auth-host", "scram-sha-256")
        .setLocaleConfig("auth-local", "scram-sha-256")
        .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
        .setConnectConfig("password", password)
        .setDataDirectoryCustomizer(dir -> HostBasedAuth.write(dir.toPath(), hba))
        .setServerConfig("listen_addresses", "localhost")
        .setServerConfig("password_encryption", "scram-sha-256")
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "100")
        .start();
  }

  /**
   * Upgrade of a cluster made without a password: set it (sent as a SCRAM verifier, so the
   * plaintext never reaches the server or its log), replace pg_hba.conf, reload, and check that a
   * login without the password is now refused.
   */
  private void requirePassword() throws SQLException, IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
    }
    HostBasedAuth.write(directory, HostBasedAuth.SCRAM_ONLY);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_reload_conf()");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (acceptsWithoutPassword()) {
      if (System.nanoTime() > deadline) {
        throw new ConfigException(
            "the embedded PostgreSQL in " + directory + " still accepts logins without a password");
      }
      sleep(100);
    }
    log.warn(
        "The embedded PostgreSQL accepted local logins without a password; it now requires the"
            + " password kept in {}",
        passwordFile);
  }

  private boolean acceptsWithoutPassword() {
    PGSimpleDataSource probe = new PGSimpleDataSource();
    probe.setServerNames(new String[] {"localhost"});
    probe.setPortNumbers(new int[] {port});
    probe.setDatabaseName("postgres");
    probe.setUser(USER);
    try (Connection c = probe.getConnection()) {
      return true;
    } catch (SQLException refused) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  /** The superuser's password, for the connection pool; never log it. */
  public String password() {
    return password;
  }

  public Path directory() {
    return directory;
  }

  public Path passwordFile() {
    return passwordFile;
  }

  public Path binaries() {
    return binaries;
  }

  /** False from the moment the postmaster is found dead until it runs again. */
  public boolean running() {
    PostmasterSupervisor s = supervisor;
    return s == null ? postmasterAlive() : s.running();
  }

  /** Runs {@code action} (on the supervisor's thread) each time the postmaster was restarted. */
  public void onRestart(Runnable action) {
    supervisor.onRestart(action);
  }

  boolean postmasterAlive() {
    return ProcessLiveness.alive(postmasterPid);
  }

  long postmasterPid() {
    return postmasterPid;
  }

  /**
   * Starts a new postmaster on the same cluster and port after the last one died. zonky's instance
   * for the dead one is closed first: that releases its lock on the cluster (its attempt to stop
   * the dead postmaster fails, which it logs).
   */
  synchronized void restart() throws IOException, SQLException {
    try {
      postgres.close();
    } catch (IOException e) {
      log.debug("closing the dead postmaster's handle", e);
    }
    // PostgreSQL refuses to start while the dead postmaster's backends still hold its shared
    // memory, and a failed start would leave zonky's lock on the cluster held; so wait for both
    if (ProcessLiveness.anyRunningIn(directory)) {
      throw new IOException("processes of the dead PostgreSQL are still exiting");
    }
    // an earlier attempt that gave up waiting may have left its postmaster starting up
    Optional<Long> leftover =
        readPid(directory.resolve("postmaster.pid")).filter(ProcessLiveness::alive);
    if (leftover.isPresent()) {
      ProcessHandle.of(leftover.get()).ifPresent(ProcessHandle::destroy);
      throw new IOException(
          "stopping postmaster " + leftover.get() + " of an attempt that gave up");
    }
    if (portTaken(port)) {
      throw new IOException("port " + port + " is taken by another program");
    }
    StartWatchdog watchdog =
        StartWatchdog.watch(directory.resolve("postmaster.pid"), postmasterPid);
    try {
      postgres =
          launch(
              directory,
              binaries,
              port,
              passwordFile,
              password,
              HostBasedAuth.SCRAM_ONLY,
              STARTUP_WAIT);
    } catch (IOException | RuntimeException e) {
      // zonky's failed instance still holds the cluster's lock file; it is released only when
      // that instance is collected, and the next attempt needs it
      System.gc();
      throw e;
    } finally {
      watchdog.stop();
    }
    postmasterPid = readPid(directory.resolve("postmaster.pid")).orElse(-1L);
    refuseForeignCluster();
  }

  @Override
  public void close() throws IOException {
    // the context closes it, and so does the early start's holder (EmbeddedPostgresEarlyStart)
    if (closed.getAndSet(true)) {
      return;
    }
    if (supervisor != null) {
      supervisor.close();
    }
    log.info("Stopping embedded PostgreSQL");
    synchronized (this) {
      postgres.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * zonky reports success even when its postmaster could not bind the port and exited, leaving us
   * connected to whatever else listens there: another Ledgerscale's database. Refuse a taken port
   * up front...
   */
  private static boolean portTaken(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

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

  static Optional<Long> readPid(Path pidFile) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
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
