// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.nio.charset.StandardCharsets;

/**
 * Noise's symmetric state (h, ck) for Noise_IK_25519_ChaChaPoly_BLAKE2s, with Tailscale's prologue.
 */
final class SymmetricState {
  static final String PROTOCOL_NAME = "Noise_IK_25519_ChaChaPoly_BLAKE2s";
  private static final byte[] ZERO_NONCE = new byte[ChaChaPoly.NONCE_SIZE];

  private byte[] h;
  private byte[] ck;

  SymmetricState(int protocolVersion) {
    // The name is longer than 32 bytes, so h starts as its hash rather than the padded name.
    h = Blake2s.hash(PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII));
    ck = h;
    mixHash(prologue(protocolVersion));
  }

  /**
   * The version in the prologue is the one the client sent, so a downgrade by a middlebox breaks
   * the handshake.
   */
  static byte[] prologue(int protocolVersion) {
    return ("Tailscale Control Protocol v" + protocolVersion).getBytes(StandardCharsets.US_ASCII);
  }

  void mixHash(byte[] data) {
    h = Blake2s.hash(h, data);
  }

  /** Mixes a DH result into the chaining key; returns the single-use cipher key. */
  byte[] mixDh(byte[] privateKey, byte[] peerPublic) throws NoiseException {
    byte[][] out = Blake2s.hkdf2(ck, Curve25519.agree(privateKey, peerPublic));
    ck = out[0];
    return out[1];
  }

  byte[] encryptAndHash(byte[] key, byte[] plaintext) {
    byte[] ct = ChaChaPoly.seal(key, ZERO_NONCE, h, plaintext, 0, plaintext.length);
    mixHash(ct);
    return ct;
  }

  byte[] decryptAndHash(byte[] key, byte[] ciphertext) throws NoiseException {
    byte[] pt = ChaChaPoly.open(key, ZERO_NONCE, h, ciphertext, 0, ciphertext.length);
    mixHash(ciphertext);
    return pt;
  }

  /** Split: the first key protects initiator-to-responder traffic, the second the reverse. */
  byte[][] split() {
    return Blake2s.hkdf2(ck, new byte[0]);
  }

  byte[] handshakeHash() {
    return h.clone();
  }
}
