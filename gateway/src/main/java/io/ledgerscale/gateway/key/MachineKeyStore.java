// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import io.ledgerscale.gateway.noise.Curve25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's Noise static key (Headscale's noise.private_key_path). Clients pin the public half,
 * so losing or rotating it locks every client out until it restarts: the key is created once, and a
 * file that exists but cannot be read or parsed stops the server instead of being replaced.
 */
public final class MachineKeyStore {
  private static final Logger log = LoggerFactory.getLogger(MachineKeyStore.class);

  private MachineKeyStore() {}

  /** Loads the key at {@code path}, creating it (mode 0600) if no file is there. */
  public static ServerMachineKey loadOrCreate(Path path, SecureRandom random) {
    return loadOrCreate(path, random, "Noise");
  }

  /**
   * As above for another of the server's long-lived Curve25519 keys ({@code what} names it in
   * messages, e.g. "DERP"), kept the same way.
   */
  public static ServerMachineKey loadOrCreate(Path path, SecureRandom random, String what) {
    if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
      return load(path, what);
    }
    byte[] priv = Curve25519.generatePrivate(random);
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve(path.getFileName() + ".tmp-" + Long.toHexString(random.nextLong()));
      SecretFiles.createOwnerOnly(
          tmp, (KeyText.format(KeyText.PRIVATE, priv) + "\n").getBytes(StandardCharsets.US_ASCII));
      try {
        // No REPLACE_EXISTING: if another process created the key meanwhile, keep theirs.
        Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(tmp);
        return load(path, what);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the " + what + " private key file " + path + ": " + e.getMessage(), e);
    }
    ServerMachineKey key = new ServerMachineKey(priv);
    log.info("created a new {} private key at {} (public key {})", what, path, key.publicKeyText());
    return key;
  }

  private static ServerMachineKey load(Path path, String what) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the "
              + what
              + " private key file "
              + path
              + "; refusing to start rather than replace it (clients pin this key): "
              + e.getMessage(),
          e);
    }
    byte[] priv =
        KeyText.parse(KeyText.PRIVATE, text)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the "
                            + what
                            + " private key file "
                            + path
                            + " does not hold a key in the form privkey:<64 hex digits>;"
                            + " refusing to start rather than replace it (clients pin this key)"));
    if (KeyText.isZero(priv)) {
      throw new IllegalStateException(
          "the " + what + " private key file " + path + " holds the zero key");
    }
    return new ServerMachineKey(Curve25519.clamp(priv));
  }
}
