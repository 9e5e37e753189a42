// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code database.*}. Ledgerscale speaks PostgreSQL only: {@code embedded} (the default) runs a
 * private PostgreSQL in data_dir/postgres; {@code postgres} connects to an existing one with
 * Headscale's {@code database.postgres.*} keys. The pool keys ({@code max_open_conns}, {@code
 * max_idle_conns}, {@code conn_max_idle_time_secs}) size the connection pool for either type.
 * Headscale's sqlite and gorm settings are accepted so old files load, and ignored.
 */
public class DatabaseSettings {
  public static final String EMBEDDED = "embedded";
  public static final String POSTGRES = "postgres";

  public String type = EMBEDDED;
  public boolean debug;
  public Embedded embedded = new Embedded();
  public Postgres postgres = new Postgres();
  public Map<String, Object> sqlite = new LinkedHashMap<>();
  public Map<String, Object> gorm = new LinkedHashMap<>();

  /**
   * Ledgerscale's own: how many commands may use the database at once; 0 (the default) means half
   * the pool, so projections and queries always keep connections however many commands arrive.
   */
  public int maxConcurrentCommands;

  /**
   * Ledgerscale's own: how long a command waits for its turn before it is refused as "server busy".
   */
  public String commandQueueTimeout = "15s";

  /**
   * Ledgerscale's own: how long a request waits for a database connection when none can be had (the
   * database is down or overloaded) before it is answered 503 with Retry-After.
   */
  public String connectionTimeout = "3s";

  /** The database type, checked: "postgresql" is read as "postgres"; anything else is an error. */
  @JsonIgnore
  public String checkedType() {
    String t = type == null ? EMBEDDED : type.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.isEmpty() || t.equals(EMBEDDED)) {
      return EMBEDDED;
    }
    if (t.equals(POSTGRES) || t.equals("postgresql")) {
      return POSTGRES;
    }
    if (t.equals("sqlite") || t.equals("sqlite3")) {
      throw new ConfigException(
          "database.type: sqlite is not supported by Ledgerscale; use 'embedded' (a private"
              + " PostgreSQL in data_dir) or 'postgres'");
    }
    throw new ConfigException("database.type: '" + type + "' is not one of embedded, postgres");
  }

  /**
   * The connection pool's size (max_open_conns), checked: commands and projections need one each at
   * least.
   */
  @JsonIgnore
  public int poolSize() {
    if (postgres.maxOpenConns < 2) {
      throw new ConfigException(
          "database.postgres.max_open_conns: "
              + postgres.maxOpenConns
              + " is too small; commands and projections need at least 2 connections");
    }
    return postgres.maxOpenConns;
  }

  /** Connections kept open while idle (max_idle_conns), at most the pool size. */
  @JsonIgnore
  public int idleConnections() {
    if (postgres.maxIdleConns < 0) {
      throw new ConfigException(
          "database.postgres.max_idle_conns: " + postgres.maxIdleConns + " is negative");
    }
    return Math.min(postgres.maxIdleConns, poolSize());
  }

  /**
   * How long a connection beyond max_idle_conns may stay idle; zero keeps it (as Go's
   * SetConnMaxIdleTime(0)).
   */
  @JsonIgnore
  public Duration connectionMaxIdleTime() {
    if (postgres.connMaxIdleTimeSecs < 0) {
      throw new ConfigException(
          "database.postgres.conn_max_idle_time_secs: "
              + postgres.connMaxIdleTimeSecs
              + " is negative");
    }
    return Duration.ofSeconds(postgres.connMaxIdleTimeSecs);
  }

  /** Commands that may hold a connection at once: always fewer than the pool holds. */
  @JsonIgnore
  public int commandConcurrency() {
    int pool = poolSize();
    if (maxConcurrentCommands < 0 || maxConcurrentCommands >= pool) {
      throw new ConfigException(
          "database.max_concurrent_commands: "
              + maxConcurrentCommands
              + " must be 0 (half the pool) or between 1 and max_open_conns - 1 ("
              + (pool - 1)
              + ")");
    }
    return maxConcurrentCommands == 0 ? Math.max(1, pool / 2) : maxConcurrentCommands;
  }

  @JsonIgnore
  public Duration commandWait() {
    Duration d = GoDuration.parse("database.command_queue_timeout", commandQueueTimeout);
    if (d == null || d.isNegative()) {
      throw new ConfigException("database.command_queue_timeout: must be a duration such as 15s");
    }
    return d;
  }

  @JsonIgnore
  public Duration connectionTimeout() {
    Duration d = GoDuration.parse("database.connection_timeout", connectionTimeout);
    if (d == null || d.toMillis() < 250 || d.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ConfigException(
          "database.connection_timeout: must be a duration between 250ms and 5m, such as 3s");
    }
    return d;
  }

  public static class Embedded {
    /** Fixed so external tools (psql, backups) can reach it; 0 picks a free port at each start. */
    public int port = 5433;

    /** Where the PostgreSQL binaries are unpacked; default data_dir/postgres-bin. */
    public String binariesPath;
  }

  public static class Postgres {
    public String host = "localhost";
    public int port = 5432;
    public String name = "ledgerscale";
    public String user = "ledgerscale";
    public String pass = "";

    /**
     * A file holding the password (systemd credentials, Docker secrets); wins over {@code pass}.
     */
    public String passwordFile;

    public int maxOpenConns = 10;
    public int maxIdleConns = 10;
    public int connMaxIdleTimeSecs = 3600;

    /**
     * PostgreSQL sslmode: disable, require, verify-ca, verify-full (Headscale also allows
     * true/false).
     */
    public String ssl = "";

    /** The password, read from password_file when set (trailing newline removed). */
    @JsonIgnore
    public String password() {
      if (passwordFile == null || passwordFile.isBlank()) {
        return pass == null ? "" : pass;
      }
      try {
        return Files.readString(Path.of(passwordFile)).strip();
      } catch (IOException e) {
        throw new ConfigException(
            "database.postgres.password_file: cannot read " + passwordFile + ": " + e, e);
      }
    }
  }
}
