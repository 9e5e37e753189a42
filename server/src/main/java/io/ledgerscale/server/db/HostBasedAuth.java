// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * The embedded cluster's pg_hba.conf, which Ledgerscale owns and rewrites at every start: password
 * (SCRAM) logins from this machine only, no {@code trust}. Clusters made before the password
 * existed (zonky's initdb writes {@code trust} for everyone) are recognised by their trust lines.
 */
final class HostBasedAuth {
  static final String FILE_NAME = "pg_hba.conf";

  private static final Pattern TRUST = Pattern.compile("(?m)^\\s*(local|host)\\S*\\s.*\\btrust\\b");

  static final String SCRAM_ONLY =
      """
      # Written by Ledgerscale at every start; edits are overwritten.
      # Password (SCRAM) logins from this machine only; the password is in data_dir/postgres.password.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  /**
   * Only while an old cluster is upgraded: just the superuser, over TCP on loopback, to set the
   * password; replaced by {@link #SCRAM_ONLY} before anything else connects.
   */
  static final String UPGRADE =
      """
      # Written by Ledgerscale while it sets the superuser's password; replaced at once.
      host    postgres   postgres   127.0.0.1/32   trust
      host    postgres   postgres   ::1/128        trust
      """;

  private HostBasedAuth() {}

  static boolean trustsAnyone(Path cluster) throws IOException {
    Path hba = cluster.resolve(FILE_NAME);
    return Files.isRegularFile(hba)
        && TRUST.matcher(Files.readString(hba, StandardCharsets.UTF_8)).find();
  }

  static void write(Path cluster, String content) {
    Path hba = cluster.resolve(FILE_NAME);
    Path partial = cluster.resolve(FILE_NAME + ".partial");
    try {
      Files.writeString(partial, content, StandardCharsets.UTF_8);
      Files.move(partial, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + hba, e);
    }
  }
}
