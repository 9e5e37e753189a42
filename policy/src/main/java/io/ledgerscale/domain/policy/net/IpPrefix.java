// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.net;

/** A CIDR prefix with its address already masked, e.g. {@code 10.33.0.0/16}. */
public record IpPrefix(IpAddress address, int bits) implements Comparable<IpPrefix> {

  public IpPrefix {
    if (bits < 0 || bits > address.bits()) {
      throw new IllegalArgumentException("prefix length " + bits + " out of range");
    }
    address = address.mask(bits);
  }

  /** Parses {@code a.b.c.d/n}, {@code v6/n} or a bare address (a single-address prefix). */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      IpAddress a = IpAddress.parse(text);
      return new IpPrefix(a, a.bits());
    }
    IpAddress a = IpAddress.parse(text.substring(0, slash));
    String len = text.substring(slash + 1);
    if (len.isEmpty() || len.length() > 3 || !AsciiDigits.only(len)) {
      throw new IllegalArgumentException("invalid prefix length in \"" + text + "\"");
    }
    int bits = Integer.parseInt(len);
    if (bits > a.bits()) {
      throw new IllegalArgumentException(
          "prefix length " + bits + " too large for \"" + text + "\"");
    }
    return new IpPrefix(a, bits);
  }

  public static IpPrefix single(IpAddress a) {
    return new IpPrefix(a, a.bits());
  }

  public boolean isSingleAddress() {
    return bits == address.bits();
  }

  public IpAddress first() {
    return address;
  }

  public IpAddress last() {
    return address.fill(bits);
  }

  public IpRange range() {
    return new IpRange(first(), last());
  }

  public boolean contains(IpAddress a) {
    if (a.v6() != address.v6()) {
      return false;
    }
    if (!a.v6()) {
      long m = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
      return (a.lo() & m) == address.lo();
    }
    return a.mask(bits).equals(address);
  }

  public boolean contains(IpPrefix other) {
    return other.bits >= bits && contains(other.address);
  }

  public boolean overlaps(IpPrefix other) {
    return contains(other.address) || other.contains(address);
  }

  /** {@code 0.0.0.0/0} or {@code ::/0}: the routes that make a node an exit node. */
  public boolean isDefaultRoute() {
    return bits == 0;
  }

  @Override
  public int compareTo(IpPrefix o) {
    int c = address.compareTo(o.address);
    return c != 0 ? c : Integer.compare(bits, o.bits);
  }

  @Override
  public String toString() {
    return address + "/" + bits;
  }

  /** The form Tailscale uses in filter rules: a bare address for a single host, CIDR otherwise. */
  public String toFilterString() {
    return isSingleAddress() ? address.toString() : toString();
  }
}
