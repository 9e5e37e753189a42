// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Who counts as one source for per-source limits: an IPv4 address, or an IPv6 /64 (one subscriber
 * line gets a whole /64, so a per-address limit would cost an attacker nothing to step around).
 */
public final class SourceKey {
  private SourceKey() {}

  public static String of(SocketAddress address) {
    if (address instanceof InetSocketAddress a && a.getAddress() != null) {
      return of(a.getAddress());
    }
    return "unknown";
  }

  /** The key of an address in text form (as {@code NoisePeer.remoteIp()} gives it). */
  public static String of(String ip) {
    if (ip == null || ip.isEmpty()) {
      return "unknown";
    }
    try {
      // only literal addresses reach here (from a socket); nothing is resolved
      return of(InetAddress.getByName(ip));
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  static String of(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return s.append(":/64").toString();
    }
    return address.getHostAddress();
  }
}
