// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Config files for server tests: each gets its own data directory under target/, an embedded
 * PostgreSQL on a free port, no actuator port, and the PostgreSQL binaries unpacked once for all
 * tests.
 */
public final class TestConfigs {
  public static final Path ROOT = Path.of("target", "server-tests").toAbsolutePath();
  public static final Path PG_BINARIES = ROOT.resolve("postgres-bin");

  private TestConfigs() {}

  /**
   * A fresh data directory and a config.yaml inside it; {@code extraYaml} is appended (top-level
   * keys).
   */
  public static Path write(String name, String extraYaml) {
    try {
      Path dir = Files.createDirectories(ROOT.resolve(name + "-" + System.nanoTime()));
      return rewrite(dir, extraYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The config file of an existing test directory, rewritten (same data directory). */
  public static Path rewrite(Path dir, String extraYaml) {
    String yaml =
        "server_url: http://127.0.0.1:8080\n"
            + "listen_addr: 127.0.0.1:0\n"
            + "metrics_listen_addr: \"\"\n"
            + "data_dir: "
            + dir.resolve("data")
            + "\n"
            + (extraYaml.contains("database:")
                ? ""
                : "database:\n  type: embedded\n  embedded:\n    port: 0\n    binaries_path: "
                    + PG_BINARIES
                    + "\n")
            + extraYaml;
    try {
      return Files.writeString(dir.resolve("config.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
