// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import java.util.Set;

/**
 * One of the two address ranges a tailnet hands out from, seen as offsets from its base address. Offsets are
 * handed out in order after the last one given, skipping those held, so an address freed by a deleted node is not
 * handed out again at once but only after the range wraps.
 */
enum AddressRange {
  /** 100.64.0.0/10 (CGNAT), as Tailscale uses it. */
  IPV4("100.64.0.0/10", (1L << 22) - 2) {
    @Override
    boolean usable(long offset) {
      // 100.100.100.0/24 holds Tailscale's own service addresses (100.100.100.100 is MagicDNS)
      long serviceBlock = offsetOf4(100, 100, 100, 0);
      return offset >= 1 && offset <= last() && (offset < serviceBlock || offset > serviceBlock + 255);
    }

    @Override
    String format(long offset) {
      long value = (100L << 24 | 64L << 16) + offset;
      return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }
  },
  /** fd7a:115c:a1e0::/48, Tailscale's ULA range; hosts are numbered from ::1 within the low 64 bits. */
  IPV6("fd7a:115c:a1e0::/48", Long.MAX_VALUE) {
    @Override
    boolean usable(long offset) {
      return offset >= 1;
    }

    @Override
    String format(long offset) {
      int[] groups = {0xfd7a, 0x115c, 0xa1e0, 0, (int) (offset >>> 48) & 0xffff, (int) (offset >>> 32) & 0xffff,
          (int) (offset >>> 16) & 0xffff, (int) offset & 0xffff};
      return compress(groups);
    }
  };

  private final String cidr;
  private final long last;

  AddressRange(String cidr, long last) {
    this.cidr = cidr;
    this.last = last;
  }

  String cidr() {
    return cidr;
  }

  long last() {
    return last;
  }

  abstract boolean usable(long offset);

  abstract String format(long offset);

  /** The next free offset after {@code previous}, wrapping once; -1 when every usable offset is held. */
  long next(long previous, Set<Long> held) {
    long candidate = previous;
    for (long tried = 0; tried <= Math.min(last, held.size() + 300L); tried++) {
      candidate = candidate >= last ? 1 : candidate + 1;
      if (usable(candidate) && !held.contains(candidate)) {
        return candidate;
      }
    }
    return -1;
  }

  /** The offset of an address this range formatted (a literal address: no name lookup happens). */
  long offsetOf(String address) {
    byte[] bytes;
    try {
      bytes = java.net.InetAddress.getByName(address).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + address, e);
    }
    if (this == IPV4) {
      long value = (bytes[0] & 255L) << 24 | (bytes[1] & 255L) << 16 | (bytes[2] & 255L) << 8 | (bytes[3] & 255L);
      return value - (100L << 24 | 64L << 16);
    }
    long value = 0;
    for (int i = 8; i < 16; i++) {
      value = value << 8 | (bytes[i] & 255L);
    }
    return value;
  }

  private static long offsetOf4(int a, int b, int c, int d) {
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
