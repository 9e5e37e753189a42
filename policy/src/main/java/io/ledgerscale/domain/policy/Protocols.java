// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.net.AsciiDigits;
import java.util.List;
import java.util.Map;

/** Policy protocol names to IANA numbers, as in tailcfg.FilterRule.IPProto. */
public final class Protocols {
  public static final int ICMP = 1;
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int ICMPV6 = 58;

  /** What a client applies when a rule names no protocol. */
  public static final List<Integer> DEFAULT = List.of(TCP, UDP, ICMP, ICMPV6);

  private static final Map<String, Integer> NAMES =
      Map.ofEntries(
          Map.entry("icmp", ICMP),
          Map.entry("igmp", 2),
          Map.entry("ipv4", 4),
          Map.entry("ip-in-ip", 4),
          Map.entry("tcp", TCP),
          Map.entry("egp", 8),
          Map.entry("igp", 9),
          Map.entry("udp", UDP),
          Map.entry("gre", 47),
          Map.entry("esp", 50),
          Map.entry("ah", 51),
          Map.entry("ipv6-icmp", ICMPV6),
          Map.entry("icmpv6", ICMPV6),
          Map.entry("sctp", 132));

  private Protocols() {}

  /** Empty for the default set; refuses unknown names and numbers outside 0-255. */
  public static List<Integer> parse(String proto, HuJson.Value at) {
    String p = proto.trim().toLowerCase(java.util.Locale.ROOT);
    if (p.isEmpty()) {
      return List.of();
    }
    Integer n = NAMES.get(p);
    if (n != null) {
      return List.of(n);
    }
    if (AsciiDigits.only(p) && p.length() <= 3) {
      int v = Integer.parseInt(p);
      if (v <= 255) {
        return List.of(v);
      }
    }
    throw new PolicyException("proto \"" + proto + "\" is not supported", at);
  }
}
