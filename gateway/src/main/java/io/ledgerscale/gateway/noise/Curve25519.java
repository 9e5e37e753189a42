// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Raw 32-byte X25519 keys as Tailscale uses them (little-endian scalars, clamped the X25519 way).
 */
public final class Curve25519 {
  public static final int KEY_SIZE = 32;

  private Curve25519() {}

  public static byte[] generatePrivate(SecureRandom random) {
    byte[] k = new byte[KEY_SIZE];
    random.nextBytes(k);
    return clamp(k);
  }

  /** Clamps in place and returns the argument, as Tailscale's key package does on generation. */
  public static byte[] clamp(byte[] k) {
    k[0] &= (byte) 248;
    k[31] = (byte) ((k[31] & 127) | 64);
    return k;
  }

  public static byte[] publicKey(byte[] privateKey) {
    byte[] pub = new byte[KEY_SIZE];
    X25519.scalarMultBase(privateKey, 0, pub, 0);
    return pub;
  }

  /**
   * The shared secret; refuses an all-zero result (a low-order peer point), as Go's
   * curve25519.X25519 does, so a malicious peer cannot force a known key.
   */
  public static byte[] agree(byte[] privateKey, byte[] peerPublic) throws NoiseException {
    byte[] out = new byte[KEY_SIZE];
    if (!X25519.calculateAgreement(privateKey, 0, peerPublic, 0, out, 0)) {
      throw new NoiseException("X25519 agreement gave the all-zero point");
    }
    return out;
  }
}
