// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Raw 32-byte X25519 keys as Tailscale uses them (little-endian scalars, clamped the X25519 way).
 *
 * <p>Every Noise handshake takes four agreements and a key generation, and a fleet registers or
 * reconnects all at once, right after a start, when the JIT is cold: BouncyCastle's field
 * arithmetic then runs interpreted or at C1, 115-190 µs an agreement here. BoringSSL's (through
 * Conscrypt) is native, about 40 µs from the first call, so it is used wherever it loads;
 * BouncyCastle elsewhere. Both give the same bytes.
 */
public final class Curve25519 {
  public static final int KEY_SIZE = 32;

  /** The u-coordinate 9: multiplying it by a private key gives that key's public key. */
  private static final byte[] BASE_POINT = basePoint();

  /** BoringSSL's X25519, or null when Conscrypt does not load or offers none. */
  static final Provider NATIVE = nativeProvider();

  private Curve25519() {}

  private static byte[] basePoint() {
    byte[] u = new byte[KEY_SIZE];
    u[0] = 9;
    return u;
  }

  private static Provider nativeProvider() {
    try {
      return NativeX25519.provider();
    } catch (LinkageError e) {
      // the command-line tool's class path has neither Conscrypt nor a logger: BouncyCastle's then
      return null;
    }
  }

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
    if (NATIVE != null) {
      byte[] pub = agreeNative(privateKey, BASE_POINT);
      if (pub == null) {
        throw new IllegalStateException("X25519 of the base point cannot be the all-zero point");
      }
      return pub;
    }
    return publicKeyJava(privateKey);
  }

  /**
   * The shared secret; refuses an all-zero result (a low-order peer point), as Go's
   * curve25519.X25519 does, so a malicious peer cannot force a known key.
   */
  public static byte[] agree(byte[] privateKey, byte[] peerPublic) throws NoiseException {
    checkSize(privateKey);
    checkSize(peerPublic);
    byte[] out =
        NATIVE != null ? agreeNative(privateKey, peerPublic) : agreeJava(privateKey, peerPublic);
    if (out == null) {
      throw new NoiseException("X25519 agreement gave the all-zero point");
    }
    return out;
  }

  private static void checkSize(byte[] key) {
    if (key.length != KEY_SIZE) {
      throw new IllegalArgumentException("an X25519 key has 32 bytes, not " + key.length);
    }
  }

  static byte[] publicKeyJava(byte[] privateKey) {
    byte[] pub = new byte[KEY_SIZE];
    X25519.scalarMultBase(privateKey, 0, pub, 0);
    return pub;
  }

  /** BouncyCastle's agreement, or null for the all-zero point. */
  static byte[] agreeJava(byte[] privateKey, byte[] peerPublic) {
    byte[] out = new byte[KEY_SIZE];
    return X25519.calculateAgreement(privateKey, 0, peerPublic, 0, out, 0) ? out : null;
  }

  /** BoringSSL's agreement, or null for the all-zero point (which it refuses). */
  static byte[] agreeNative(byte[] privateKey, byte[] peerPublic) {
    return NativeX25519.agree(NATIVE, privateKey, peerPublic);
  }
}
