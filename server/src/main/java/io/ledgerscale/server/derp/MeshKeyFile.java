// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.derp;

import io.ledgerscale.gateway.derp.MeshKey;
import io.ledgerscale.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Reads {@code derp.server.mesh_key_path}. The key lets its holder read and inject every relayed
 * packet of the deployment, so a file others may read is refused (as the Noise and DERP keys are
 * written: 0600); the operator creates it (the same key on every instance, so the server never
 * makes one up). Errors name the file, never its content.
 */
final class MeshKeyFile {
  private MeshKeyFile() {}

  static MeshKey read(Path file) {
    String where = "derp.server.mesh_key_path: " + file;
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          where
              + " does not exist; create it with 64 hex digits (e.g. openssl rand -hex 32), mode"
              + " 0600, the same file on every instance");
    }
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission perm : p) {
          if (!perm.name().startsWith("OWNER_")) {
            throw new ConfigException(where + " may be read by others; chmod 600 it");
          }
        }
      }
      byte[] raw = Files.readAllBytes(file);
      if (raw.length > 1024) {
        throw new ConfigException(where + " is not a mesh key (64 hex digits)");
      }
      try {
        return MeshKey.parse(new String(raw, StandardCharsets.US_ASCII));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
    } catch (IOException e) {
      throw new ConfigException(where + " cannot be read: " + e.getClass().getSimpleName());
    }
  }
}
