// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds the frames the server sends; layouts at {@link FrameType}. */
final class OutFrames {
  private OutFrames() {}

  static ByteBuffer serverKey(byte[] serverPublic) {
    byte[] f = header(FrameType.SERVER_KEY, FrameType.MAGIC.length + FrameType.KEY);
    System.arraycopy(FrameType.MAGIC, 0, f, FrameType.HEADER, FrameType.MAGIC.length);
    System.arraycopy(serverPublic, 0, f, FrameType.HEADER + FrameType.MAGIC.length, FrameType.KEY);
    return ByteBuffer.wrap(f);
  }

  static ByteBuffer serverInfo(byte[] sealedBox) {
    byte[] f = header(FrameType.SERVER_INFO, sealedBox.length);
    System.arraycopy(sealedBox, 0, f, FrameType.HEADER, sealedBox.length);
    return ByteBuffer.wrap(f);
  }

  /**
   * Turns a client's SendPacket frame into the RecvPacket for its destination, in place: same
   * length, the destination key overwritten by the source key. The packet bytes are not copied.
   */
  static byte[] recvPacketInPlace(byte[] sendPacketFrame, RelayKey source) {
    sendPacketFrame[0] = FrameType.RECV_PACKET;
    source.copyTo(sendPacketFrame, FrameType.HEADER);
    return sendPacketFrame;
  }

  static ByteBuffer keepAlive() {
    return ByteBuffer.wrap(header(FrameType.KEEP_ALIVE, 0));
  }

  /** The Pong answering the Ping frame {@code ping} (its first 8 payload bytes). */
  static ByteBuffer pong(byte[] ping) {
    byte[] f = header(FrameType.PONG, FrameType.PING_DATA);
    System.arraycopy(ping, FrameType.HEADER, f, FrameType.HEADER, FrameType.PING_DATA);
    return ByteBuffer.wrap(f);
  }

  static ByteBuffer peerGone(RelayKey peer, byte reason) {
    byte[] f = header(FrameType.PEER_GONE, FrameType.KEY + 1);
    peer.copyTo(f, FrameType.HEADER);
    f[FrameType.HEADER + FrameType.KEY] = reason;
    return ByteBuffer.wrap(f);
  }

  static ByteBuffer health(String problem) {
    byte[] text = problem.getBytes(StandardCharsets.UTF_8);
    byte[] f = header(FrameType.HEALTH, text.length);
    System.arraycopy(text, 0, f, FrameType.HEADER, text.length);
    return ByteBuffer.wrap(f);
  }

  static ByteBuffer restarting(int reconnectInMillis, int tryForMillis) {
    byte[] f = header(FrameType.RESTARTING, 8);
    putInt(f, FrameType.HEADER, reconnectInMillis);
    putInt(f, FrameType.HEADER + 4, tryForMillis);
    return ByteBuffer.wrap(f);
  }

  private static byte[] header(byte type, int length) {
    byte[] f = new byte[FrameType.HEADER + length];
    f[0] = type;
    putInt(f, 1, length);
    return f;
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
