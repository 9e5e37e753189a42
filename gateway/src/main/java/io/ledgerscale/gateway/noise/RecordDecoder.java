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

  /**
   * The bytes of a record cut short by the end of a read, until the rest arrives; null between
   * records. Whole records are opened where they were read, so an idle connection holds no buffer
   * (a thousand connections held 4 MB of them).
   */
  private byte[] buf;

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
        if (filled == 0 && in.hasArray() && in.remaining() >= NoiseMessages.HEADER_SIZE) {
          // a whole record in the buffer read: opened in place
          byte[] a = in.array();
          int at = in.arrayOffset() + in.position();
          int size = frameSize(a, at);
          if (in.remaining() >= size) {
            checkHeader(a, at);
            byte[] plain =
                cipher.open(a, at + NoiseMessages.HEADER_SIZE, size - NoiseMessages.HEADER_SIZE);
            in.position(in.position() + size);
            out.accept(plain);
            continue;
          }
        }
        if (buf == null) {
          buf = new byte[NoiseMessages.MAX_MESSAGE_SIZE];
        }
        int want =
            filled < NoiseMessages.HEADER_SIZE ? NoiseMessages.HEADER_SIZE : frameSize(buf, 0);
        int n = Math.min(want - filled, in.remaining());
        in.get(buf, filled, n);
        filled += n;
        if (filled == NoiseMessages.HEADER_SIZE) {
          checkHeader(buf, 0);
        }
        if (filled >= NoiseMessages.HEADER_SIZE && filled == frameSize(buf, 0)) {
          byte[] plain =
              cipher.open(buf, NoiseMessages.HEADER_SIZE, filled - NoiseMessages.HEADER_SIZE);
          filled = 0;
          buf = null;
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

  private static int frameSize(byte[] b, int at) {
    return NoiseMessages.HEADER_SIZE + NoiseMessages.u16(b, at + 1);
  }

  private static void checkHeader(byte[] b, int at) throws NoiseException {
    if (b[at] != NoiseMessages.TYPE_RECORD) {
      throw new NoiseException(
          "received message type " + b[at] + ", want " + NoiseMessages.TYPE_RECORD);
    }
    if (frameSize(b, at) > NoiseMessages.MAX_MESSAGE_SIZE) {
      throw new NoiseException(
          "frame of " + frameSize(b, at) + " bytes exceeds max allowed Noise frame size");
    }
  }
}
