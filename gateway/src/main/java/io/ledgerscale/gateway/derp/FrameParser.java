// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.nio.ByteBuffer;

/**
 * Cuts a client's byte stream into frames ({@link FrameType} has the layouts). Holds at most one
 * unfinished frame; the length is checked against the frame type's bound when the header is
 * complete, before the payload buffer is allocated, so a client cannot make the server allocate
 * more than one maximal packet. Each frame is handed over as one array holding its 5-byte header
 * and payload, so a SendPacket can be turned into a RecvPacket in place.
 */
final class FrameParser {
  /** Receives each complete frame; {@code frame} is the handler's to keep. */
  interface Handler {
    void onFrame(byte type, byte[] frame) throws DerpProtocolException;
  }

  private final byte[] header = new byte[FrameType.HEADER];
  private int headerFill;
  private byte[] frame;
  private int frameFill;

  /** Consumes all of {@code in}, handing over each complete frame in order. */
  void feed(ByteBuffer in, Handler handler) throws DerpProtocolException {
    while (in.hasRemaining()) {
      if (frame == null) {
        int n = Math.min(in.remaining(), FrameType.HEADER - headerFill);
        in.get(header, headerFill, n);
        headerFill += n;
        if (headerFill < FrameType.HEADER) {
          return;
        }
        frame = allocate(header);
        frameFill = FrameType.HEADER;
        headerFill = 0;
      }
      int n = Math.min(in.remaining(), frame.length - frameFill);
      in.get(frame, frameFill, n);
      frameFill += n;
      if (frameFill == frame.length) {
        byte[] done = frame;
        frame = null;
        handler.onFrame(done[0], done);
      }
    }
    if (frame != null && frameFill == frame.length) {
      byte[] done = frame;
      frame = null;
      handler.onFrame(done[0], done);
    }
  }

  private static byte[] allocate(byte[] header) throws DerpProtocolException {
    byte type = header[0];
    long length =
        ((header[1] & 0xffL) << 24)
            | ((header[2] & 0xffL) << 16)
            | ((header[3] & 0xffL) << 8)
            | (header[4] & 0xffL);
    int max = FrameType.maxFromClient(type);
    if (max < 0) {
      throw new DerpProtocolException(
          "frame type 0x" + Integer.toHexString(type & 0xff) + " not accepted from a client");
    }
    if (length > max) {
      throw new DerpProtocolException(
          "frame type 0x"
              + Integer.toHexString(type & 0xff)
              + " of "
              + length
              + " bytes, more than "
              + max);
    }
    if (length < FrameType.minFromClient(type)) {
      throw new DerpProtocolException(
          "frame type 0x"
              + Integer.toHexString(type & 0xff)
              + " of "
              + length
              + " bytes is too short");
    }
    byte[] f = new byte[FrameType.HEADER + (int) length];
    System.arraycopy(header, 0, f, 0, FrameType.HEADER);
    return f;
  }
}
