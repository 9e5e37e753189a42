// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import io.ledgerscale.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder the PostgreSQL binaries are unpacked into and run from. Whoever can write there runs
 * code as this server, so it is ours alone (0700). zonky makes the folder it is given writable by
 * everyone, so it gets a subfolder ({@link #unpackDirectory}) that only we can reach, and that
 * subfolder is locked again once PostgreSQL runs.
 */
final class BinariesFolder {
  private static final Logger log = LoggerFactory.getLogger(BinariesFolder.class);
  private static final String UNPACKED = "zonky";

  private BinariesFolder() {}

  static Path unpackDirectory(Path root) {
    return root.resolve(UNPACKED);
  }

  /**
   * Makes {@code root} safe to run from, or refuses: created 0700 if missing; tightened to 0700 if
   * only we could write to it; moved aside (never run) if others could, as every Ledgerscale before
   * this one left it; refused if it belongs to another user or sits where others may swap it.
   */
  static void prepare(Path root) throws IOException {
    Path parent = root.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (OwnerOnly.othersMayReplaceEntries(parent.toRealPath())) {
      throw new ConfigException(
          "database.embedded.binaries_path "
              + root
              + " is inside "
              + parent
              + ", which every user may write to; choose a folder only this server's user can"
              + " change");
    }
    if (!Files.exists(root)) {
      createOwnerOnly(root);
      return;
    }
    Path real = root.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new ConfigException("database.embedded.binaries_path " + root + " is not a folder");
    }
    if (!OwnerOnly.ownedByUs(real)) {
      throw new ConfigException(
          "database.embedded.binaries_path "
              + root
              + " belongs to uid "
              + OwnerOnly.ownerUid(real)
              + ", not to the user this server runs as (uid "
              + OwnerOnly.currentUid()
              + "); its programs would run as this server. Remove it or choose another folder");
    }
    if (OwnerOnly.writableByOthers(real)) {
      Path aside =
          real.resolveSibling(real.getFileName() + ".untrusted-" + System.currentTimeMillis());
      Files.move(real, aside);
      log.warn(
          "The PostgreSQL binaries folder {} had mode {}: any user could have planted programs"
              + " in it. Moved to {} (nothing in it is run; inspect and delete it); the binaries"
              + " are unpacked again",
          root,
          PosixFilePermissions.toString(OwnerOnly.permissions(aside)),
          aside);
      createOwnerOnly(real);
      return;
    }
    Files.setPosixFilePermissions(real, OwnerOnly.DIRECTORY);
  }

  /** After zonky ran: nothing under the folder is writable by anyone but us. */
  static void lockDown(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.setPosixFilePermissions(dir, OwnerOnly.DIRECTORY);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!attrs.isSymbolicLink() && OwnerOnly.writableByOthers(file)) {
              Set<PosixFilePermission> p = OwnerOnly.permissions(file);
              p.remove(PosixFilePermission.GROUP_WRITE);
              p.remove(PosixFilePermission.OTHERS_WRITE);
              Files.setPosixFilePermissions(file, p);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void createOwnerOnly(Path dir) throws IOException {
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OwnerOnly.DIRECTORY));
    Files.setPosixFilePermissions(dir, OwnerOnly.DIRECTORY);
  }
}
