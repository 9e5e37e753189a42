// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

/**
 * One of Tailscale's two address ranges, seen as offsets: IPv4 from 100.64.0.0, IPv6 by the low 64
 * bits (the configured prefix, an {@link AddressPool}, narrows the range and supplies the rest).
 * Offsets are handed out in order after the last one given, skipping those held, so an address
 * freed by a deleted node is not handed out again at once but only after the range wraps.
 */
enum AddressRange {
  /** 100.64.0.0/10 (CGNAT), as Tailscale uses it. */
  IPV4((1L << 22) - 2) {
    @Override
    boolean usable(long offset) {
      // 100.100.100.0/24 holds Tailscale's own service addresses (100.100.100.100 is MagicDNS), and
      // Tailscale
      // leaves 100.115.92.0/23 to ChromeOS's own VMs
      long serviceBlock = offsetOf4(100, 100, 100, 0);
      long chromeOs = offsetOf4(100, 115, 92, 0);
      return offset >= 1
          && offset <= last()
          && (offset < serviceBlock || offset > serviceBlock + 255)
          && (offset < chromeOs || offset > chromeOs + 511);
    }

    @Override
    String format(long offset) {
      long value = (100L << 24 | 64L << 16) + offset;
      return ((value >> 24) & 255)
          + "."
          + ((value >> 16) & 255)
          + "."
          + ((value >> 8) & 255)
          + "."
          + (value & 255);
    }
  },
  /**
   * fd7a:115c:a1e0::/48, Tailscale's ULA range; hosts are numbered from ::1 within the low 64 bits.
   */
  IPV6(Long.MAX_VALUE) {
    @Override
    boolean usable(long offset) {
      return offset >= 1;
    }

    @Override
    String format(long offset) {
      return formatIpv6(0, offset);
    }
  };

  private final long last;

  AddressRange(long last) {
    this.last = last;
  }

  long last() {
    return last;
  }

  abstract boolean usable(long offset);

  abstract String format(long offset);

  /** The offset of an address this range formatted (a literal address: no name lookup happens). */
  long offsetOf(String address) {
    byte[] bytes;
    try {
      bytes = java.net.InetAddress.getByName(address).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + address, e);
    }
    if (this == IPV4) {
      long value =
          (bytes[0] & 255L) << 24
              | (bytes[1] & 255L) << 16
              | (bytes[2] & 255L) << 8
              | (bytes[3] & 255L);
      return value - (100L << 24 | 64L << 16);
    }
    long value = 0;
    for (int i = 8; i < 16; i++) {
      value = value << 8 | (bytes[i] & 255L);
    }
    return value;
  }

  /** An address in fd7a:115c:a1e0:{group3}::/64, numbered by its low 64 bits. */
  static String formatIpv6(int group3, long offset) {
    int[] groups = {
      0xfd7a,
      0x115c,
      0xa1e0,
      group3,
      (int) (offset >>> 48) & 0xffff,
      (int) (offset >>> 32) & 0xffff,
      (int) (offset >>> 16) & 0xffff,
      (int) offset & 0xffff
    };
    return compress(groups);
  }

  static long offsetOf4(int a, int b, int c, int d) {
    long value = (long) a << 24 | (long) b << 16 | (long) c << 8 | d;
    return value - (100L << 24 | 64L << 16);
  }

  /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups written as "::". */
  private static String compress(int[] groups) {
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < groups.length && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < groups.length; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
