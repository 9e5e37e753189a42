// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two unsigned 64-bit halves, so set arithmetic stays allocation-light
 * on large tailnets. IPv4 uses only {@code lo}.
 */
public record IpAddress(boolean v6, long hi, long lo) implements Comparable<IpAddress> {

  public static IpAddress parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty IP address");
    }
    if (s.indexOf(':') < 0) {
      return parseV4(s, text);
    }
    if (!s.matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
    }
    try {
      // literal text only: InetAddress never resolves names when given a well-formed IPv6 literal
      InetAddress a = InetAddress.getByName(s);
      byte[] b = a.getAddress();
      if (a instanceof Inet6Address && b.length == 16) {
        return new IpAddress(true, bytesToLong(b, 0), bytesToLong(b, 8));
      }
      // ::ffff:a.b.c.d is folded by the JDK into an IPv4 address
      return new IpAddress(false, 0, bytesToLong(b, 0) >>> 32 & 0xffffffffL);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
    }
  }

  private static IpAddress parseV4(String s, String original) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("invalid IP address \"" + original + "\"");
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty()
          || p.length() > 3
          || !AsciiDigits.only(p)
          || (p.length() > 1 && p.charAt(0) == '0')) {
        throw new IllegalArgumentException("invalid IP address \"" + original + "\"");
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException("invalid IP address \"" + original + "\"");
      }
      v = (v << 8) | octet;
    }
    return new IpAddress(false, 0, v);
  }

  private static long bytesToLong(byte[] b, int off) {
    long v = 0;
    int end = Math.min(b.length, off + 8);
    for (int i = off; i < end; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    if (end - off < 8) {
      v <<= 8 * (8 - (end - off));
    }
    return v;
  }

  public static IpAddress v4(long value) {
    return new IpAddress(false, 0, value & 0xffffffffL);
  }

  public int bits() {
    return v6 ? 128 : 32;
  }

  @Override
  public int compareTo(IpAddress o) {
    if (v6 != o.v6) {
      return v6 ? 1 : -1;
    }
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  /** The next address; callers never ask past the family's last address. */
  public IpAddress next() {
    if (!v6) {
      return v4(lo + 1);
    }
    long nlo = lo + 1;
    return new IpAddress(true, nlo == 0 ? hi + 1 : hi, nlo);
  }

  public IpAddress previous() {
    if (!v6) {
      return v4(lo - 1);
    }
    return new IpAddress(true, lo == 0 ? hi - 1 : hi, lo - 1);
  }

  public boolean isFamilyMax() {
    return v6 ? (hi == -1L && lo == -1L) : lo == 0xffffffffL;
  }

  /** Keeps the first {@code prefixBits} bits, zeroing the rest. */
  public IpAddress mask(int prefixBits) {
    if (!v6) {
      long m = prefixBits == 0 ? 0 : (0xffffffffL << (32 - prefixBits)) & 0xffffffffL;
      return v4(lo & m);
    }
    return new IpAddress(true, hi & highMask(prefixBits), lo & lowMask(prefixBits));
  }

  /** Sets every bit after the first {@code prefixBits}. */
  public IpAddress fill(int prefixBits) {
    if (!v6) {
      long m = prefixBits == 0 ? 0 : (0xffffffffL << (32 - prefixBits)) & 0xffffffffL;
      return v4(lo | (~m & 0xffffffffL));
    }
    return new IpAddress(true, hi | ~highMask(prefixBits), lo | ~lowMask(prefixBits));
  }

  private static long highMask(int bits) {
    if (bits >= 64) {
      return -1L;
    }
    return bits == 0 ? 0 : -1L << (64 - bits);
  }

  private static long lowMask(int bits) {
    if (bits <= 64) {
      return 0;
    }
    return bits == 128 ? -1L : -1L << (128 - bits);
  }

  @Override
  public String toString() {
    if (!v6) {
      return ((lo >>> 24) & 0xff)
          + "."
          + ((lo >>> 16) & 0xff)
          + "."
          + ((lo >>> 8) & 0xff)
          + "."
          + (lo & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
      groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
    }
    // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on ties
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] == 0) {
        int j = i;
        while (j < 8 && groups[j] == 0) {
          j++;
        }
        if (j - i > bestLen && j - i >= 2) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
