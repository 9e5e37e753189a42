// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import io.ledgerscale.server.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The embedded PostgreSQL superuser's password: generated once, kept in data_dir (mode 0600, owned
 * by the server's user) and never logged. Anyone who can read it owns the event store, so a file
 * others can read or one owned by someone else is refused rather than used.
 */
final class PostgresPassword {
  static final String FILE_NAME = "postgres.password";

  private PostgresPassword() {}

  static Path fileIn(Path dataDirectory) {
    return dataDirectory.resolve(FILE_NAME);
  }

  /** The password in {@code file}, created with a fresh random one if there is none yet. */
  static String loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      create(file);
    }
    check(file);
    String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (password.length() < 16) {
      throw new ConfigException(
          file + " does not hold a usable PostgreSQL password; restore it from a backup");
    }
    return password;
  }

  private static void check(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConfigException(file + " must be a regular file (not a link) holding a password");
    }
    if (!OwnerOnly.ownedByUs(file)) {
      throw new ConfigException(
          file
              + " is owned by uid "
              + OwnerOnly.ownerUid(file)
              + ", not by the user this server runs as (uid "
              + OwnerOnly.currentUid()
              + "); chown it to that user");
    }
    if (OwnerOnly.accessibleByOthers(file)) {
      throw new ConfigException(
          file
              + " has mode "
              + OwnerOnly.mode(file)
              + ": other users may read the database password; run chmod 600 on it");
    }
  }

  /** Written whole under a temporary name and moved in place, so a crash leaves no half file. */
  private static void create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path partial = file.resolveSibling(FILE_NAME + ".partial");
    Files.deleteIfExists(partial);
    Files.createFile(partial, PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
    try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(password.getBytes(StandardCharsets.US_ASCII)));
      out.force(true);
    }
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
