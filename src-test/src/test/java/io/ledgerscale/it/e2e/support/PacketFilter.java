// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads the {@code PacketFilterRules} a client holds (from {@code tailscale debug netmap}) and
 * answers whether they let a TCP connection in, so a test can compare what the client was told with
 * what the policy says, whatever form (single IPs, prefixes, {@code *}) the server chose to write
 * it in.
 */
public final class PacketFilter {
  private static final int TCP = 6;
  private final JsonNode rules;

  private PacketFilter(JsonNode rules) {
    this.rules = rules;
  }

  public static PacketFilter of(JsonNode netmap) {
    return new PacketFilter(netmap.path("PacketFilterRules"));
  }

  /** True if no rule lets anything in. */
  public boolean isEmpty() {
    return rules.isMissingNode() || rules.isNull() || rules.isEmpty();
  }

  /** Whether a TCP connection from {@code src} to {@code dst}:{@code port} is let in. */
  public boolean allowsTcp(String src, String dst, int port) {
    for (JsonNode rule : rules) {
      if (!protoAllowsTcp(rule.path("IPProto"))) {
        continue;
      }
      boolean srcMatches = false;
      for (JsonNode s : rule.path("SrcIPs")) {
        srcMatches |= contains(s.asText(), src);
      }
      if (!srcMatches) {
        continue;
      }
      for (JsonNode d : rule.path("DstPorts")) {
        JsonNode ports = d.path("Ports");
        if (contains(d.path("IP").asText(), dst)
            && ports.path("First").asInt() <= port
            && port <= ports.path("Last").asInt()) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return rules.toString();
  }

  /** No protocol list means TCP, UDP and ICMP, as in tailcfg.FilterRule. */
  private static boolean protoAllowsTcp(JsonNode protos) {
    if (protos.isMissingNode() || protos.isNull() || protos.isEmpty()) {
      return true;
    }
    for (JsonNode p : protos) {
      if (p.asInt() == TCP) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code spec} is {@code *}, an address, a prefix or a range {@code a-b}; {@code ip} an address.
   */
  static boolean contains(String spec, String ip) {
    if (spec.equals("*")) {
      return true;
    }
    if (!spec.matches("[0-9A-Fa-f.:/-]+")) {
      return false; // e.g. a capability source; never resolved as a host name
    }
    try {
      byte[] addr = InetAddress.getByName(ip).getAddress();
      int dash = spec.indexOf('-');
      if (dash > 0) {
        byte[] lo = InetAddress.getByName(spec.substring(0, dash)).getAddress();
        byte[] hi = InetAddress.getByName(spec.substring(dash + 1)).getAddress();
        return lo.length == addr.length
            && unsigned(lo).compareTo(unsigned(addr)) <= 0
            && unsigned(addr).compareTo(unsigned(hi)) <= 0;
      }
      int slash = spec.indexOf('/');
      byte[] net = InetAddress.getByName(slash < 0 ? spec : spec.substring(0, slash)).getAddress();
      if (net.length != addr.length) {
        return false;
      }
      int bits = slash < 0 ? net.length * 8 : Integer.parseInt(spec.substring(slash + 1));
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | NumberFormatException notAnAddress) {
      return false;
    }
  }

  private static BigInteger unsigned(byte[] b) {
    return new BigInteger(1, b);
  }
}
