// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * RFC 5389 Binding, as much as a Tailscale client uses: a request is {@code type 0x0001(2) ||
 * length(2) || magic cookie 0x2112A442(4) || transaction id(12) || attributes(length)}; the answer
 * is a Binding Success (0x0101) with the same id and one XOR-MAPPED-ADDRESS (0x0020) attribute,
 * {@code 0(1) || family(1: 1 IPv4, 2 IPv6) || port ^ 0x2112(2) || address ^ (cookie || id)}. The
 * request's attributes (Tailscale sends SOFTWARE and FINGERPRINT) are not needed to answer.
 */
final class StunMessage {
  static final int HEADER = 20;
  private static final int BINDING_REQUEST = 0x0001;
  private static final int BINDING_SUCCESS = 0x0101;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;
  static final int COOKIE = 0x2112A442;

  private StunMessage() {}

  /**
   * The response to {@code request} as seen from {@code from}, or null if it is not a well-formed
   * Binding request (then nothing is sent back: STUN over UDP must not amplify spoofed traffic).
   */
  static ByteBuffer answer(ByteBuffer request, InetSocketAddress from) {
    int n = request.remaining();
    if (n < HEADER || n > 1500) {
      return null;
    }
    int p = request.position();
    int type = request.getShort(p) & 0xffff;
    int length = request.getShort(p + 2) & 0xffff;
    if (type != BINDING_REQUEST
        || request.getInt(p + 4) != COOKIE
        || length != n - HEADER
        || length % 4 != 0) {
      return null;
    }
    byte[] txid = new byte[12];
    request.get(p + 8, txid);
    InetAddress addr = from.getAddress();
    byte[] ip = addr.getAddress();
    int attrLen = 4 + ip.length;
    ByteBuffer out = ByteBuffer.allocate(HEADER + 4 + attrLen);
    out.putShort((short) BINDING_SUCCESS);
    out.putShort((short) (4 + attrLen));
    out.putInt(COOKIE);
    out.put(txid);
    out.putShort((short) XOR_MAPPED_ADDRESS);
    out.putShort((short) attrLen);
    out.put((byte) 0);
    out.put((byte) (ip.length == 4 ? 1 : 2));
    out.putShort((short) (from.getPort() ^ (COOKIE >>> 16)));
    byte[] mask = new byte[16];
    ByteBuffer.wrap(mask).putInt(COOKIE).put(txid);
    for (int i = 0; i < ip.length; i++) {
      out.put((byte) (ip[i] ^ mask[i]));
    }
    return out.flip();
  }
}
