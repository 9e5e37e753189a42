// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineKeyStoreTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  @Test
  void shouldCreateTheKeyOnFirstStartInTailscalesTextFormWithOwnerOnlyPermissions()
      throws Exception {
    Path file = dir.resolve("sub/noise_private.key");
    ServerMachineKey key = MachineKeyStore.loadOrCreate(file, random);

    String text = Files.readString(file).trim();
    assertThat(text).matches("privkey:[0-9a-f]{64}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(key.publicKeyText()).matches("mkey:[0-9a-f]{64}");
    assertThat(key.toString()).doesNotContain(text.substring(8));
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void shouldLoadTheSameKeyOnEveryLaterStart() {
    Path file = dir.resolve("noise_private.key");
    ServerMachineKey first = MachineKeyStore.loadOrCreate(file, random);
    ServerMachineKey again = MachineKeyStore.loadOrCreate(file, random);
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
  }

  @Test
  void canReadAKeyWrittenByHeadscaleOrTailscale() throws Exception {
    Path file = dir.resolve("noise_private.key");
    // upper-case hex and no trailing newline are accepted too
    Files.writeString(file, "privkey:" + "A8".repeat(32));
    ServerMachineKey key = MachineKeyStore.loadOrCreate(file, random);
    assertThat(key.privateKey()[0]).isEqualTo((byte) 0xa8);
  }

  @Test
  void cannotStartWithACorruptKeyFileAndLeavesItAlone() throws Exception {
    Path file = dir.resolve("noise_private.key");
    Files.writeString(file, "privkey:not-hex\n");
    assertThatThrownBy(() -> MachineKeyStore.loadOrCreate(file, random))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to start");
    assertThat(Files.readString(file)).isEqualTo("privkey:not-hex\n");
  }

  @Test
  void cannotStartWithAnEmptyOrZeroKeyFile() throws Exception {
    Path empty = dir.resolve("empty.key");
    Files.writeString(empty, "");
    Path zero = dir.resolve("zero.key");
    Files.writeString(zero, "privkey:" + "0".repeat(64));
    assertThatThrownBy(() -> MachineKeyStore.loadOrCreate(empty, random))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> MachineKeyStore.loadOrCreate(zero, random))
        .hasMessageContaining("zero key");
  }

  @Test
  void cannotStartWhenTheKeyPathIsADirectory() throws Exception {
    Path file = dir.resolve("noise_private.key");
    Files.createDirectory(file);
    assertThatThrownBy(() -> MachineKeyStore.loadOrCreate(file, random))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read");
    assertThat(Files.isDirectory(file)).isTrue();
  }
}
