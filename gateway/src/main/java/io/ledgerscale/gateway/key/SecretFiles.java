// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Writing a file that holds a private key: the server's Noise, DERP and audit signing keys. */
public final class SecretFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretFiles() {}

  /**
   * Creates {@code file} (which must not exist) with mode 0600 from the start, so the key is never
   * readable by others, not even briefly.
   */
  public static void createOwnerOnly(Path file, byte[] content) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    try (SeekableByteChannel ch =
        Files.newByteChannel(
            file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
    if (posix) {
      // the umask may have removed bits, never added any; set exactly
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }
}
