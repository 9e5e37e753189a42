// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.noise.NoiseException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's crypto_box as Go's golang.org/x/crypto/nacl/box seals it and Tailscale's key package
 * frames it: {@code nonce(24) || Poly1305 tag(16) || XSalsa20 ciphertext}. The box key is
 * HSalsa20(X25519(own private, peer public), zero nonce); the first 32 bytes of the XSalsa20 key
 * stream key Poly1305, the rest encrypt the message.
 */
final class NaclBox {
  static final int OVERHEAD = 16;

  private NaclBox() {}

  /** The shared box key of a key pair, or null when the peer's key is a low-order point. */
  static byte[] sharedKey(byte[] privateKey, byte[] peerPublic) {
    byte[] shared;
    try {
      shared = Curve25519.agree(privateKey, peerPublic);
    } catch (NoiseException e) {
      return null;
    }
    return hsalsa20(shared, new byte[16]);
  }

  static byte[] seal(byte[] sharedKey, byte[] message, SecureRandom random) {
    byte[] out = new byte[FrameType.NONCE + OVERHEAD + message.length];
    byte[] nonce = new byte[FrameType.NONCE];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 0, nonce.length);
    XSalsa20Engine stream = stream(sharedKey, nonce);
    byte[] macKey = new byte[32];
    stream.processBytes(macKey, 0, 32, macKey, 0);
    int ct = FrameType.NONCE + OVERHEAD;
    stream.processBytes(message, 0, message.length, out, ct);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(out, ct, message.length);
    mac.doFinal(out, FrameType.NONCE);
    return out;
  }

  /** The message in {@code box[off, off+len)}, or null if it is short or not authentic. */
  static byte[] open(byte[] sharedKey, byte[] box, int off, int len) {
    if (len < FrameType.NONCE + OVERHEAD) {
      return null;
    }
    byte[] nonce = new byte[FrameType.NONCE];
    System.arraycopy(box, off, nonce, 0, nonce.length);
    XSalsa20Engine stream = stream(sharedKey, nonce);
    byte[] macKey = new byte[32];
    stream.processBytes(macKey, 0, 32, macKey, 0);
    int ct = off + FrameType.NONCE + OVERHEAD;
    int ctLen = len - FrameType.NONCE - OVERHEAD;
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(box, ct, ctLen);
    byte[] tag = new byte[OVERHEAD];
    mac.doFinal(tag, 0);
    byte[] given = new byte[OVERHEAD];
    System.arraycopy(box, off + FrameType.NONCE, given, 0, OVERHEAD);
    if (!MessageDigest.isEqual(tag, given)) {
      return null;
    }
    byte[] message = new byte[ctLen];
    stream.processBytes(box, ct, ctLen, message, 0);
    return message;
  }

  private static XSalsa20Engine stream(byte[] key, byte[] nonce) {
    XSalsa20Engine e = new XSalsa20Engine();
    e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    return e;
  }

  /** HSalsa20: the Salsa20 core without the final feed-forward, keeping words 0,5,10,15,6..9. */
  static byte[] hsalsa20(byte[] key, byte[] nonce16) {
    int[] s = new int[16];
    s[0] = 0x61707865;
    s[5] = 0x3320646e;
    s[10] = 0x79622d32;
    s[15] = 0x6b206574;
    for (int i = 0; i < 4; i++) {
      s[1 + i] = le(key, 4 * i);
      s[11 + i] = le(key, 16 + 4 * i);
      s[6 + i] = le(nonce16, 4 * i);
    }
    int[] x = new int[16];
    Salsa20Engine.salsaCore(20, s, x);
    int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
    byte[] out = new byte[32];
    for (int i = 0; i < words.length; i++) {
      int w = x[words[i]] - s[words[i]];
      out[4 * i] = (byte) w;
      out[4 * i + 1] = (byte) (w >>> 8);
      out[4 * i + 2] = (byte) (w >>> 16);
      out[4 * i + 3] = (byte) (w >>> 24);
    }
    return out;
  }

  private static int le(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }
}
