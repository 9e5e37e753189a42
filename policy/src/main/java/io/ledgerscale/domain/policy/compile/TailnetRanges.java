// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policy.net.IpRange;
import io.ledgerscale.domain.policy.net.IpSet;
import java.util.ArrayList;
import java.util.List;

/** The fixed address ranges Tailscale's filters are written in terms of. */
public final class TailnetRanges {
  /** CGNAT without 100.115.92.0/23, which Tailscale keeps for its own services. */
  public static final IpSet TAILNET_V4 =
      IpSet.ofPrefixes(List.of(IpPrefix.parse("100.64.0.0/10")))
          .minus(IpSet.ofPrefixes(List.of(IpPrefix.parse("100.115.92.0/23"))));

  public static final IpPrefix TAILNET_V6 = IpPrefix.parse("fd7a:115c:a1e0::/48");

  /** What {@code *} as a source means before subnet routes are added, in filter-rule text. */
  public static final List<String> WILDCARD_SOURCE_STRINGS;

  public static final IpSet WILDCARD_SOURCE;

  /** Public address space: what an exit node forwards to. */
  public static final IpSet INTERNET;

  /**
   * autogroup:internet as Tailscale writes it in an exit node's packet filter: IPv4 without the
   * private and CGNAT ranges, and 2000::/3, each as a first-last range.
   */
  public static final List<IpRange> INTERNET_FILTER_RANGES =
      IpSet.ofPrefixes(List.of(IpPrefix.parse("0.0.0.0/0")))
          .minus(
              IpSet.ofPrefixes(
                  List.of(
                      IpPrefix.parse("10.0.0.0/8"),
                      IpPrefix.parse("100.64.0.0/10"),
                      IpPrefix.parse("169.254.0.0/16"),
                      IpPrefix.parse("172.16.0.0/12"),
                      IpPrefix.parse("192.168.0.0/16"))))
          .union(IpSet.ofPrefixes(List.of(IpPrefix.parse("2000::/3"))))
          .ranges();

  static {
    List<String> s = new ArrayList<>();
    for (IpRange r : TAILNET_V4.ranges()) {
      s.add(r.toString());
    }
    s.add(TAILNET_V6.toString());
    WILDCARD_SOURCE_STRINGS = List.copyOf(s);
    WILDCARD_SOURCE = TAILNET_V4.union(IpSet.ofPrefixes(List.of(TAILNET_V6)));
    IpSet v4 =
        IpSet.ofPrefixes(List.of(IpPrefix.parse("0.0.0.0/0")))
            .minus(
                IpSet.ofPrefixes(
                    List.of(
                        IpPrefix.parse("0.0.0.0/8"),
                        IpPrefix.parse("10.0.0.0/8"),
                        IpPrefix.parse("100.64.0.0/10"),
                        IpPrefix.parse("127.0.0.0/8"),
                        IpPrefix.parse("169.254.0.0/16"),
                        IpPrefix.parse("172.16.0.0/12"),
                        IpPrefix.parse("192.168.0.0/16"),
                        IpPrefix.parse("224.0.0.0/3"))));
    INTERNET = v4.union(IpSet.ofPrefixes(List.of(IpPrefix.parse("2000::/3"))));
  }

  private TailnetRanges() {}
}
