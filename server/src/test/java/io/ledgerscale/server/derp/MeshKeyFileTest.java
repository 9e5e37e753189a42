// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.derp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** derp.server.mesh_key_path: owner-only, 64 hex digits, and never echoed in an error. */
class MeshKeyFileTest {
  private static final String KEY =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  @TempDir Path tmp;

  private Path file(String content, String mode) throws IOException {
    Path f = Files.writeString(tmp.resolve("mesh-" + System.nanoTime() + ".key"), content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void readsAnOwnerOnlyKeyFile() throws IOException {
    assertThat(MeshKeyFile.read(file(KEY + "\n", "rw-------")).toString()).doesNotContain(KEY);
  }

  @Test
  void refusesAFileOthersMayRead() throws IOException {
    Path f = file(KEY, "rw-r--r--");
    assertThatThrownBy(() -> MeshKeyFile.read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("chmod 600")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void refusesWhatIsNotAKeyWithoutEchoingIt() throws IOException {
    String notAKey = "secret-ish-text-that-is-not-hex";
    Path f = file(notAKey, "rw-------");
    assertThatThrownBy(() -> MeshKeyFile.read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("derp.server.mesh_key_path")
        .hasMessageNotContaining(notAKey);
    assertThatThrownBy(() -> MeshKeyFile.read(tmp.resolve("missing.key")))
        .hasMessageContaining("does not exist");
  }
}
