// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.net;

/** An inclusive address range within one family. */
public record IpRange(IpAddress first, IpAddress last) {

  public IpRange {
    if (first.v6() != last.v6() || first.compareTo(last) > 0) {
      throw new IllegalArgumentException("invalid range " + first + "-" + last);
    }
  }

  public static IpRange parse(String text) {
    int dash = text.indexOf('-');
    if (dash < 0) {
      return IpPrefix.parse(text).range();
    }
    return new IpRange(
        IpAddress.parse(text.substring(0, dash)), IpAddress.parse(text.substring(dash + 1)));
  }

  public boolean contains(IpAddress a) {
    return a.v6() == first.v6() && first.compareTo(a) <= 0 && a.compareTo(last) <= 0;
  }

  public boolean overlaps(IpRange o) {
    return first.v6() == o.first.v6()
        && first.compareTo(o.last) <= 0
        && o.first.compareTo(last) <= 0;
  }

  public boolean covers(IpRange o) {
    return first.v6() == o.first.v6()
        && first.compareTo(o.first) <= 0
        && o.last.compareTo(last) <= 0;
  }

  /** The range as one prefix when it is exactly one, else null. */
  public IpPrefix asPrefix() {
    int bits = first.bits();
    for (int b = 0; b <= bits; b++) {
      if (first.mask(b).equals(first) && first.fill(b).equals(last)) {
        return new IpPrefix(first, b);
      }
    }
    return null;
  }

  /** Tailscale's text for a range: a bare address, a CIDR when exact, else {@code first-last}. */
  @Override
  public String toString() {
    IpPrefix p = asPrefix();
    return p != null ? p.toFilterString() : first + "-" + last;
  }
}
