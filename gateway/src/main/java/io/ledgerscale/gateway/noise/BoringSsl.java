// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.Provider;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BoringSSL through Conscrypt, where its native library loads (Linux, macOS and Windows on x86-64,
 * Linux and macOS on arm64). The Noise session's ChaCha20-Poly1305 and X25519 come from it there;
 * elsewhere each falls back to a pure-Java implementation, which gives the same bytes.
 */
final class BoringSsl {
  private static final Logger log = LoggerFactory.getLogger(BoringSsl.class);

  /** Conscrypt's provider, or null when its native library does not load on this platform. */
  static final Provider PROVIDER = load();

  private BoringSsl() {}

  private static Provider load() {
    try {
      if (!Conscrypt.isAvailable()) {
        return null;
      }
      return Conscrypt.newProvider();
    } catch (LinkageError | RuntimeException e) {
      log.debug(
          "Conscrypt is not available here ({}); the JDK's and BouncyCastle's crypto is used",
          e.toString());
      return null;
    }
  }
}
