// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Who owns a file and who else may touch it: the embedded PostgreSQL runs whatever its binaries
 * folder holds and trusts whatever its password file says, so both must belong to the user this
 * server runs as and to nobody else.
 */
final class OwnerOnly {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  static long currentUid() {
    return new UnixSystem().getUid();
  }

  static long ownerUid(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  static boolean ownedByUs(Path path) throws IOException {
    return ownerUid(path) == currentUid();
  }

  static Set<PosixFilePermission> permissions(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
  }

  static boolean writableByOthers(Path path) throws IOException {
    Set<PosixFilePermission> p = permissions(path);
    return p.contains(PosixFilePermission.GROUP_WRITE)
        || p.contains(PosixFilePermission.OTHERS_WRITE);
  }

  static boolean accessibleByOthers(Path path) throws IOException {
    for (PosixFilePermission p : permissions(path)) {
      if (!p.name().startsWith("OWNER_")) {
        return true;
      }
    }
    return false;
  }

  /** A world-writable folder without the sticky bit lets anyone replace what is inside it. */
  static boolean othersMayReplaceEntries(Path directory) throws IOException {
    if (!writableByOthers(directory)) {
      return false;
    }
    int mode = ((Number) Files.getAttribute(directory, "unix:mode")).intValue();
    return (mode & 01000) == 0;
  }

  static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(permissions(path));
  }
}
