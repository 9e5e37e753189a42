// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import javax.crypto.KeyAgreement;
import org.conscrypt.XdhKeySpec;

/**
 * BoringSSL's X25519 through Conscrypt's XDH. Apart from {@link Curve25519}, which uses it, so that
 * a class path without Conscrypt (the command-line tool's) fails only here, where it is caught.
 */
final class NativeX25519 {
  private NativeX25519() {}

  /** Conscrypt's provider when it loads and offers XDH (2.6 on), else null. */
  static Provider provider() {
    Provider p = BoringSsl.PROVIDER;
    if (p == null) {
      return null;
    }
    try {
      KeyAgreement.getInstance("XDH", p);
      KeyFactory.getInstance("XDH", p);
      return p;
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /** The agreement, or null for the all-zero point (which BoringSSL refuses). */
  static byte[] agree(Provider provider, byte[] privateKey, byte[] peerPublic) {
    KeyAgreement agreement;
    KeyFactory keys;
    try {
      agreement = KeyAgreement.getInstance("XDH", provider);
      keys = KeyFactory.getInstance("XDH", provider);
      agreement.init(keys.generatePrivate(new XdhKeySpec(privateKey)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("BoringSSL refused a 32-byte X25519 private key", e);
    }
    try {
      agreement.doPhase(keys.generatePublic(new XdhKeySpec(peerPublic)), true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      // BoringSSL's X25519 fails only on the all-zero result; any 32 bytes are a public key
      return null;
    }
  }
}
