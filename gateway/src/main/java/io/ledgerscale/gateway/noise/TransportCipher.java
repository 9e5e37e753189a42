// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

/**
 * One direction of an established Noise session. Unlike standard Noise, Tailscale puts the 64-bit
 * counter big-endian into bytes 4..11 of the nonce; the counter is never reused, and its last value
 * (2^64-1) is invalid. Not thread-safe: each direction is used by one thread at a time.
 */
public final class TransportCipher {
  private final ChaChaPoly cipher;
  private long counter;
  private boolean dead;

  TransportCipher(byte[] key) {
    this.cipher = new ChaChaPoly(key.clone());
  }

  /**
   * Encrypts one record's plaintext (at most {@link NoiseMessages#MAX_PLAINTEXT_SIZE} bytes) into a
   * whole framed record.
   */
  public byte[] sealRecord(byte[] plaintext, int off, int len) throws NoiseException {
    byte[] rec = new byte[NoiseMessages.HEADER_SIZE + len + ChaChaPoly.TAG_SIZE];
    sealRecordInto(plaintext, off, len, rec, 0);
    return rec;
  }

  /**
   * Like {@link #sealRecord} but writes the framed record into {@code out} at {@code at}, which
   * must have room for {@code len} + 19 bytes; returns the record's length.
   */
  public int sealRecordInto(byte[] plaintext, int off, int len, byte[] out, int at)
      throws NoiseException {
    if (len > NoiseMessages.MAX_PLAINTEXT_SIZE) {
      throw new IllegalArgumentException(
          "record plaintext " + len + " exceeds " + NoiseMessages.MAX_PLAINTEXT_SIZE);
    }
    int sealed = len + ChaChaPoly.TAG_SIZE;
    out[at] = NoiseMessages.TYPE_RECORD;
    NoiseMessages.putU16(out, at + 1, sealed);
    cipher.seal(nextNonce(), null, plaintext, off, len, out, at + NoiseMessages.HEADER_SIZE);
    return NoiseMessages.HEADER_SIZE + sealed;
  }

  /**
   * Decrypts a record's ciphertext. A failure kills this direction for good: the peer is out of
   * sync or hostile.
   */
  public byte[] open(byte[] ciphertext, int off, int len) throws NoiseException {
    try {
      return cipher.open(nextNonce(), null, ciphertext, off, len);
    } catch (NoiseException e) {
      dead = true;
      throw e;
    }
  }

  /** The counter the next record will use; for tests and diagnostics. */
  public long counter() {
    return counter;
  }

  private byte[] nextNonce() throws NoiseException {
    if (dead) {
      throw new NoiseException("cipher is dead after a failed decryption");
    }
    if (counter == -1L) {
      throw new NoiseException("cipher exhausted");
    }
    byte[] n = new byte[ChaChaPoly.NONCE_SIZE];
    long c = counter++;
    for (int i = 0; i < 8; i++) {
      n[11 - i] = (byte) (c >>> (8 * i));
    }
    return n;
  }
}
