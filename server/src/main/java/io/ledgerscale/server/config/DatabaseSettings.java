// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code database.*}. Ledgerscale speaks PostgreSQL only: {@code embedded} (the default) runs a private PostgreSQL
 * in data_dir/postgres; {@code postgres} connects to an existing one with Headscale's {@code database.postgres.*}
 * keys. Headscale's sqlite and gorm settings are accepted so old files load, and ignored.
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
      throw new ConfigException("database.type: sqlite is not supported by Ledgerscale; use 'embedded' (a private"
          + " PostgreSQL in data_dir) or 'postgres'");
    }
    throw new ConfigException("database.type: '" + type + "' is not one of embedded, postgres");
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
    /** A file holding the password (systemd credentials, Docker secrets); wins over {@code pass}. */
    public String passwordFile;
    public int maxOpenConns = 10;
    public int maxIdleConns = 10;
    public int connMaxIdleTimeSecs = 3600;
    /** PostgreSQL sslmode: disable, require, verify-ca, verify-full (Headscale also allows true/false). */
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
        throw new ConfigException("database.postgres.password_file: cannot read " + passwordFile + ": " + e, e);
      }
    }
  }
}
