// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Turns the incoming byte stream of a Noise connection into plaintext, one whole record at a time.
 * Partial records wait for more bytes. Anything that is not a well-formed, authentic record in
 * sequence (another message type, a length beyond the 4096-byte frame limit, a bad tag, a replayed
 * or reordered record) throws, and the caller closes the connection: after a failure this decoder
 * refuses all further input.
 */
public final class RecordDecoder {
  private final TransportCipher cipher;
  private final byte[] buf = new byte[NoiseMessages.MAX_MESSAGE_SIZE];
  private int filled;
  private boolean failed;

  public RecordDecoder(TransportCipher cipher) {
    this.cipher = cipher;
  }

  /**
   * Consumes all of {@code in}, handing each decrypted record's plaintext (possibly empty) to
   * {@code out}.
   */
  public void feed(ByteBuffer in, Consumer<byte[]> out) throws NoiseException {
    if (failed) {
      throw new NoiseException("connection already failed");
    }
    try {
      while (in.hasRemaining()) {
        int want = filled < NoiseMessages.HEADER_SIZE ? NoiseMessages.HEADER_SIZE : frameSize();
        int n = Math.min(want - filled, in.remaining());
        in.get(buf, filled, n);
        filled += n;
        if (filled == NoiseMessages.HEADER_SIZE) {
          checkHeader();
        }
        if (filled >= NoiseMessages.HEADER_SIZE && filled == frameSize()) {
          byte[] plain =
              cipher.open(buf, NoiseMessages.HEADER_SIZE, filled - NoiseMessages.HEADER_SIZE);
          filled = 0;
          out.accept(plain);
        }
      }
    } catch (NoiseException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * True if bytes of an incomplete record are waiting; at end of stream that means the peer cut a
   * record short.
   */
  public boolean hasPartialRecord() {
    return filled > 0;
  }

  private int frameSize() {
    return NoiseMessages.HEADER_SIZE + NoiseMessages.u16(buf, 1);
  }

  private void checkHeader() throws NoiseException {
    if (buf[0] != NoiseMessages.TYPE_RECORD) {
      throw new NoiseException(
          "received message type " + buf[0] + ", want " + NoiseMessages.TYPE_RECORD);
    }
    if (frameSize() > NoiseMessages.MAX_MESSAGE_SIZE) {
      throw new NoiseException(
          "frame of " + frameSize() + " bytes exceeds max allowed Noise frame size");
    }
  }
}
