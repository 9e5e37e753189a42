// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.undertow.util.AttachmentKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who is on the other end of a Noise connection: the machine key proven by the handshake, the
 * protocol version it announced, and its network address. Attached to every HTTP/2 request served
 * inside that connection.
 */
public record NoisePeer(String machineKey, int protocolVersion, SocketAddress remoteAddress) {
  public static final AttachmentKey<NoisePeer> KEY = AttachmentKey.create(NoisePeer.class);

  /** Headscale caps bodies on the Noise API at 1 MiB. */
  public static final long MAX_REQUEST_BODY = 1024 * 1024;

  public String remoteIp() {
    return remoteAddress instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress()
        : "";
  }
}
