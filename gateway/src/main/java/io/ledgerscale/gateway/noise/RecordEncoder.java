// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.io.ByteArrayOutputStream;

/**
 * Splits outgoing plaintext into records of at most 4077 plaintext bytes (4096 on the wire) and
 * encrypts them.
 */
public final class RecordEncoder {
  private final TransportCipher cipher;

  public RecordEncoder(TransportCipher cipher) {
    this.cipher = cipher;
  }

  public byte[] encode(byte[] plaintext, int off, int len) throws NoiseException {
    if (len <= NoiseMessages.MAX_PLAINTEXT_SIZE) {
      return cipher.sealRecord(plaintext, off, len);
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(len + (len / NoiseMessages.MAX_PLAINTEXT_SIZE + 1) * 19);
    for (int pos = 0; pos < len; pos += NoiseMessages.MAX_PLAINTEXT_SIZE) {
      out.writeBytes(
          cipher.sealRecord(
              plaintext, off + pos, Math.min(NoiseMessages.MAX_PLAINTEXT_SIZE, len - pos)));
    }
    return out.toByteArray();
  }
}
