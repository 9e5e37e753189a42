// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * BLAKE2s-256 and the Noise HKDF built on HMAC-BLAKE2s (RFC 5869, salt = chaining key, empty info).
 */
final class Blake2s {
  static final int SIZE = 32;

  private Blake2s() {}

  static byte[] hash(byte[]... parts) {
    Blake2sDigest d = new Blake2sDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[SIZE];
    d.doFinal(out, 0);
    return out;
  }

  /** Noise HKDF(ck, ikm) with two outputs: the new chaining key and a cipher key. */
  static byte[][] hkdf2(byte[] chainingKey, byte[] ikm) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new Blake2sDigest(256));
    g.init(new HKDFParameters(ikm, chainingKey, null));
    byte[] both = new byte[2 * SIZE];
    g.generateBytes(both, 0, both.length);
    byte[] a = new byte[SIZE];
    byte[] b = new byte[SIZE];
    System.arraycopy(both, 0, a, 0, SIZE);
    System.arraycopy(both, SIZE, b, 0, SIZE);
    return new byte[][] {a, b};
  }
}
