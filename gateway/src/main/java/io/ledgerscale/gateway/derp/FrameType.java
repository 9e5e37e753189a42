// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

/**
 * DERP frame types and their payload layouts (Tailscale's derp/derp.go, protocol version 2). Every
 * frame is a 5-byte header, {@code type(1) || length(4, big-endian)}, then {@code length} payload
 * bytes. Keys are raw 32-byte Curve25519 public keys.
 *
 * <pre>
 * 0x01 ServerKey     S→C  magic "DERP🔑" (44 45 52 50 F0 9F 94 91) || server public key(32)
 * 0x02 ClientInfo    C→S  client public key(32) || nonce(24) || box tag(16) || box ciphertext(JSON)
 * 0x03 ServerInfo    S→C  nonce(24) || box tag(16) || box ciphertext(JSON {"version":2})
 * 0x04 SendPacket    C→S  destination key(32) || packet (at most 64 KiB)
 * 0x05 RecvPacket    S→C  source key(32) || packet
 * 0x06 KeepAlive     S→C  (empty)
 * 0x07 NotePreferred C→S  1 byte: 1 = this is my home region, 0 = it is not
 * 0x08 PeerGone      S→C  key(32) || reason(1): 0 disconnected, 1 not here
 * 0x09 PeerPresent   S→C  key(32) || IP(16) || port(2, BE) || flags(1)   (mesh watchers only)
 * 0x0a ForwardPacket C→S  source key(32) || destination key(32) || packet  (mesh peers only)
 * 0x10 WatchConns    C→S  (empty)                                          (mesh peers only)
 * 0x11 ClosePeer     C→S  key(32)                                          (mesh peers only)
 * 0x12 Ping          both data(8); answered by a Pong with the same 8 bytes
 * 0x13 Pong          both data(8)
 * 0x14 Health        S→C  UTF-8 text of a problem; empty clears it
 * 0x15 Restarting    S→C  reconnect-in ms(4, BE) || try-for ms(4, BE)
 * </pre>
 *
 * <p>Tailscale's derper (v1.102.5) defines but never sends the last two; its client reports Health
 * as the region's health warning and ignores Restarting (the end of the stream that follows makes
 * it reconnect). This relay sends Restarting to every client and watching mesh peer when it stops
 * gracefully, then ends the stream ({@link DerpRelay#closeAll}), and Health when a whole admission
 * sweep could decide about none of the connected keys (verify_clients on and the node records
 * unreadable), and an empty Health on the first sweep that decides one again ({@link
 * DerpRelay#judgeHealth}).
 *
 * <p>Mesh (docs/adr/0006): a peer instance connects as a client whose ClientInfo JSON carries
 * {@code "meshKey"} (64 hex digits); only such a connection may send WatchConns, ForwardPacket and
 * ClosePeer. After WatchConns it is sent a PeerPresent for every key connected, then a PeerPresent
 * or PeerGone(Disconnected) for each change.
 *
 * <p>The box is NaCl's crypto_box ({@link NaclBox}) between the server key and the client key.
 */
final class FrameType {
  private FrameType() {}

  static final int HEADER = 5;
  static final int KEY = 32;
  static final int NONCE = 24;
  static final int MAX_PACKET = 64 << 10;
  // Tailscale's server refuses a longer ClientInfo: the JSON comes from a client not yet trusted
  static final int MAX_CLIENT_INFO = 256 << 10;
  static final int PING_DATA = 8;

  static final byte SERVER_KEY = 0x01;
  static final byte CLIENT_INFO = 0x02;
  static final byte SERVER_INFO = 0x03;
  static final byte SEND_PACKET = 0x04;
  static final byte RECV_PACKET = 0x05;
  static final byte KEEP_ALIVE = 0x06;
  static final byte NOTE_PREFERRED = 0x07;
  static final byte PEER_GONE = 0x08;
  static final byte PEER_PRESENT = 0x09;
  static final byte FORWARD_PACKET = 0x0a;
  static final byte WATCH_CONNS = 0x10;
  static final byte CLOSE_PEER = 0x11;
  static final byte PING = 0x12;
  static final byte PONG = 0x13;
  static final byte HEALTH = 0x14;
  static final byte RESTARTING = 0x15;

  static final byte PEER_GONE_DISCONNECTED = 0x00;
  static final byte PEER_GONE_NOT_HERE = 0x01;
  static final byte PEER_PRESENT_IS_REGULAR = 0x01;

  static final byte[] MAGIC = {
    0x44, 0x45, 0x52, 0x50, (byte) 0xF0, (byte) 0x9F, (byte) 0x94, (byte) 0x91
  };

  /**
   * The longest payload a client may send in a frame of {@code type}, or -1 if a client may not
   * send it at all. Checked on the header, before anything is allocated for the payload.
   */
  static int maxFromClient(byte type) {
    return switch (type) {
      case CLIENT_INFO -> MAX_CLIENT_INFO;
      case SEND_PACKET -> KEY + MAX_PACKET;
      case FORWARD_PACKET -> 2 * KEY + MAX_PACKET;
      case NOTE_PREFERRED -> 1;
      case PING, PONG -> 64;
      case WATCH_CONNS -> 0;
      case CLOSE_PEER -> KEY;
      default -> -1;
    };
  }

  /** The shortest payload a client may send in a frame of {@code type}. */
  static int minFromClient(byte type) {
    return switch (type) {
      case CLIENT_INFO -> KEY + NONCE + NaclBox.OVERHEAD;
      case SEND_PACKET, CLOSE_PEER -> KEY;
      case FORWARD_PACKET -> 2 * KEY;
      case NOTE_PREFERRED -> 1;
      case PING, PONG -> PING_DATA;
      default -> 0;
    };
  }
}
