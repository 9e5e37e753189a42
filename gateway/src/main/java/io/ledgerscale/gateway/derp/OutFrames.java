// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
    return ByteBuffer.wrap(peerGoneFrame(peer, reason));
  }

  static byte[] peerGoneFrame(RelayKey peer, byte reason) {
    byte[] f = header(FrameType.PEER_GONE, FrameType.KEY + 1);
    peer.copyTo(f, FrameType.HEADER);
    f[FrameType.HEADER + FrameType.KEY] = reason;
    return f;
  }

  /**
   * PeerPresent for a mesh watcher: the key, the client's address (IPv4 as v4-mapped IPv6, all
   * zeros when unknown) and port, and the flags byte (always "regular": this relay announces only
   * its clients, not its mesh peers).
   */
  static byte[] peerPresent(RelayKey peer, InetSocketAddress from) {
    byte[] f = header(FrameType.PEER_PRESENT, FrameType.KEY + 16 + 2 + 1);
    peer.copyTo(f, FrameType.HEADER);
    int at = FrameType.HEADER + FrameType.KEY;
    if (from != null && from.getAddress() != null) {
      InetAddress a = from.getAddress();
      byte[] ip = a.getAddress();
      if (a instanceof Inet4Address) {
        f[at + 10] = (byte) 0xff;
        f[at + 11] = (byte) 0xff;
        System.arraycopy(ip, 0, f, at + 12, 4);
      } else {
        System.arraycopy(ip, 0, f, at, 16);
      }
      f[at + 16] = (byte) (from.getPort() >>> 8);
      f[at + 17] = (byte) from.getPort();
    }
    f[at + 18] = FrameType.PEER_PRESENT_IS_REGULAR;
    return f;
  }

  /** A RecvPacket from {@code source} carrying {@code b[at, at+len)}. */
  static byte[] recvPacket(RelayKey source, byte[] b, int at, int len) {
    byte[] f = header(FrameType.RECV_PACKET, FrameType.KEY + len);
    source.copyTo(f, FrameType.HEADER);
    System.arraycopy(b, at, f, FrameType.HEADER + FrameType.KEY, len);
    return f;
  }

  /**
   * The header and both keys of the ForwardPacket that carries a client's SendPacket frame {@code
   * sendPacketFrame} from {@code source} to a mesh peer; the packet bytes follow it unchanged.
   */
  static byte[] forwardPacketHead(RelayKey source, byte[] sendPacketFrame) {
    int packetBytes = sendPacketFrame.length - FrameType.HEADER - FrameType.KEY;
    byte[] f = new byte[FrameType.HEADER + 2 * FrameType.KEY];
    f[0] = FrameType.FORWARD_PACKET;
    putInt(f, 1, 2 * FrameType.KEY + packetBytes);
    source.copyTo(f, FrameType.HEADER);
    System.arraycopy(
        sendPacketFrame, FrameType.HEADER, f, FrameType.HEADER + FrameType.KEY, FrameType.KEY);
    return f;
  }

  /** The ClientInfo frame a mesh peer sends: its key, then the sealed JSON. */
  static byte[] clientInfo(byte[] clientPublic, byte[] sealedBox) {
    byte[] f = header(FrameType.CLIENT_INFO, FrameType.KEY + sealedBox.length);
    System.arraycopy(clientPublic, 0, f, FrameType.HEADER, FrameType.KEY);
    System.arraycopy(sealedBox, 0, f, FrameType.HEADER + FrameType.KEY, sealedBox.length);
    return f;
  }

  static byte[] watchConns() {
    return header(FrameType.WATCH_CONNS, 0);
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
