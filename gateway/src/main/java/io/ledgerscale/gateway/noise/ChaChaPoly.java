// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One-shot ChaCha20-Poly1305 (RFC 8439); a fresh cipher per message because BouncyCastle refuses
 * nonce reuse on init.
 */
final class ChaChaPoly {
  static final int TAG_SIZE = 16;
  static final int NONCE_SIZE = 12;

  private ChaChaPoly() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext, int off, int len) {
    ChaCha20Poly1305 c = new ChaCha20Poly1305();
    c.init(true, new AEADParameters(new KeyParameter(key), TAG_SIZE * 8, nonce, ad));
    byte[] out = new byte[len + TAG_SIZE];
    int n = c.processBytes(plaintext, off, len, out, 0);
    try {
      c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    }
    return out;
  }

  static byte[] open(byte[] key, byte[] nonce, byte[] ad, byte[] ciphertext, int off, int len)
      throws NoiseException {
    if (len < TAG_SIZE) {
      throw new NoiseException("ciphertext shorter than its tag");
    }
    ChaCha20Poly1305 c = new ChaCha20Poly1305();
    c.init(false, new AEADParameters(new KeyParameter(key), TAG_SIZE * 8, nonce, ad));
    byte[] out = new byte[len - TAG_SIZE];
    int n = c.processBytes(ciphertext, off, len, out, 0);
    try {
      c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new NoiseException("message authentication failed");
    }
    return out;
  }
}
