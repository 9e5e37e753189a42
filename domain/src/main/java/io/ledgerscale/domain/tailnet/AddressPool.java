// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A configured prefix new nodes get addresses from ({@code prefixes.v4} or {@code prefixes.v6}),
 * checked the way Tailscale clients need it: an IPv4 prefix inside 100.64.0.0/10, an IPv6 prefix
 * inside fd7a:115c:a1e0::/48, written as a network (no host bits set), and with addresses left
 * after Tailscale's reserved ones. Addresses are offsets in the {@link AddressRange}; an IPv6
 * prefix shorter than /64 hands out from its first /64, which sequential allocation would not leave
 * anyway.
 */
public final class AddressPool {
  public static final String DEFAULT_IPV4 = "100.64.0.0/10";
  public static final String DEFAULT_IPV6 = "fd7a:115c:a1e0::/48";
  public static final String SEQUENTIAL = "sequential";
  public static final String RANDOM = "random";

  /** fd7a:115c:a1e0::53, Tailscale's IPv6 service address (MagicDNS), by its low 64 bits. */
  private static final long IPV6_SERVICE = 0x53;

  /**
   * Random picks before falling back to a scan, so a nearly full prefix still finds its last free
   * address.
   */
  private static final int RANDOM_TRIES = 64;

  private final AddressRange range;
  private final String prefix;
  private final long first;
  private final long last;
  private final int group3;

  private AddressPool(AddressRange range, String prefix, long first, long last, int group3) {
    this.range = range;
    this.prefix = prefix;
    this.first = first;
    this.last = last;
    this.group3 = group3;
  }

  /** The IPv4 pool of {@code prefix}; IllegalArgumentException says what is wrong with it. */
  public static AddressPool ipv4(String prefix) {
    String[] parts = split(prefix, "prefixes.v4");
    if (!parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException(
          "prefixes.v4: '" + prefix + "' is not an IPv4 prefix such as 100.64.0.0/10");
    }
    byte[] b = new byte[4];
    String[] octets = parts[0].split("\\.");
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(octets[i]);
      if (octet > 255) {
        throw new IllegalArgumentException("prefixes.v4: '" + prefix + "' is not a valid address");
      }
      b[i] = (byte) octet;
    }
    int bits = bits(parts[1], 32, "prefixes.v4", prefix);
    long value = (b[0] & 255L) << 24 | (b[1] & 255L) << 16 | (b[2] & 255L) << 8 | (b[3] & 255L);
    long size = 1L << (32 - bits);
    if (bits < 10 || (value >>> 22) != ((100L << 24 | 64L << 16) >>> 22)) {
      throw new IllegalArgumentException(
          "prefixes.v4: "
              + prefix
              + " is not inside Tailscale's 100.64.0.0/10;"
              + " Tailscale clients only use addresses from that range");
    }
    if ((value & (size - 1)) != 0) {
      throw new IllegalArgumentException(
          "prefixes.v4: "
              + prefix
              + " has host bits set; write the network, "
              + AddressRange.IPV4.format(((value & ~(size - 1)) - (100L << 24 | 64L << 16)))
              + "/"
              + bits);
    }
    if (bits > 30) {
      throw new IllegalArgumentException(
          "prefixes.v4: " + prefix + " leaves no addresses for nodes; use /30 or" + " shorter");
    }
    long base = value - (100L << 24 | 64L << 16);
    return checked(
        new AddressPool(AddressRange.IPV4, parts[0] + "/" + bits, base + 1, base + size - 2, 0),
        "prefixes.v4");
  }

  /** The IPv6 pool of {@code prefix}; IllegalArgumentException says what is wrong with it. */
  public static AddressPool ipv6(String prefix) {
    String[] parts = split(prefix, "prefixes.v6");
    if (!parts[0].contains(":") || !parts[0].matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException(
          "prefixes.v6: '" + prefix + "' is not an IPv6 prefix such as " + DEFAULT_IPV6);
    }
    byte[] b = literal(parts[0], "prefixes.v6", prefix);
    if (b.length != 16) {
      throw new IllegalArgumentException(
          "prefixes.v6: '" + prefix + "' is not an IPv6 prefix such as " + DEFAULT_IPV6);
    }
    int bits = bits(parts[1], 128, "prefixes.v6", prefix);
    boolean inUla =
        bits >= 48
            && (b[0] & 255) == 0xfd
            && (b[1] & 255) == 0x7a
            && (b[2] & 255) == 0x11
            && (b[3] & 255) == 0x5c
            && (b[4] & 255) == 0xa1
            && (b[5] & 255) == 0xe0;
    if (!inUla) {
      throw new IllegalArgumentException(
          "prefixes.v6: "
              + prefix
              + " is not inside Tailscale's "
              + DEFAULT_IPV6
              + "; Tailscale clients only use addresses from that range");
    }
    for (int bit = bits; bit < 128; bit++) {
      if ((b[bit / 8] >> (7 - bit % 8) & 1) != 0) {
        throw new IllegalArgumentException(
            "prefixes.v6: " + prefix + " has host bits set; write the network");
      }
    }
    if (bits > 120) {
      throw new IllegalArgumentException(
          "prefixes.v6: " + prefix + " is too small for a tailnet; use /120 or" + " shorter");
    }
    int group3 = (b[6] & 255) << 8 | (b[7] & 255);
    long low = 0;
    for (int i = 8; i < 16; i++) {
      low = low << 8 | (b[i] & 255L);
    }
    if (low < 0) {
      throw new IllegalArgumentException(
          "prefixes.v6: "
              + prefix
              + " is not supported; choose a prefix whose host"
              + " part starts in the lower half of its /64");
    }
    long first = bits <= 64 ? 1 : low + 1;
    long last = bits <= 64 ? Long.MAX_VALUE : low + ((1L << (128 - bits)) - 1);
    String text = AddressRange.formatIpv6(group3, low).toLowerCase(Locale.ROOT) + "/" + bits;
    return checked(new AddressPool(AddressRange.IPV6, text, first, last, group3), "prefixes.v6");
  }

  /** {@code sequential} (the default when blank) or {@code random}, lower-cased. */
  public static String allocation(String allocation) {
    String a =
        allocation == null || allocation.isBlank()
            ? SEQUENTIAL
            : allocation.trim().toLowerCase(Locale.ROOT);
    if (!a.equals(SEQUENTIAL) && !a.equals(RANDOM)) {
      throw new IllegalArgumentException(
          "prefixes.allocation: '" + allocation + "' is not one of sequential, random");
    }
    return a;
  }

  /** The prefix as a network, e.g. {@code 100.64.0.0/10}. */
  public String prefix() {
    return prefix;
  }

  boolean usable(long offset) {
    return offset >= first
        && offset <= last
        && range.usable(offset)
        && !(range == AddressRange.IPV6 && group3 == 0 && offset == IPV6_SERVICE);
  }

  String format(long offset) {
    return range == AddressRange.IPV6
        ? AddressRange.formatIpv6(group3, offset)
        : range.format(offset);
  }

  /**
   * The next free offset: after {@code previous} in order, wrapping once (so a freed address comes
   * back only after the prefix wraps), or, for random allocation, anywhere in the prefix; -1 when
   * every address is held.
   */
  long next(long previous, Set<Long> held, RandomGenerator random) {
    return next(previous, held, random, List.of());
  }

  /**
   * As {@link #next(long, Set, RandomGenerator)}, never answering an address inside one of {@code
   * excluded} (the policy's address pools, kept for the nodes they are meant for); a scan jumps
   * over each excluded pool at once.
   */
  long next(long previous, Set<Long> held, RandomGenerator random, List<AddressPool> excluded) {
    if (random != null) {
      for (int i = 0; i < RANDOM_TRIES; i++) {
        long candidate = random.nextLong(first, last == Long.MAX_VALUE ? last : last + 1);
        if (usable(candidate) && !held.contains(candidate) && inside(excluded, candidate) == null) {
          return candidate;
        }
      }
    }
    long candidate = previous < first || previous > last ? first - 1 : previous;
    long span = last - first + 1;
    // enough tries to pass every held address, the reserved blocks (ChromeOS's 512 the largest)
    // and each excluded pool once per wrap
    long tries = Math.min(span, held.size() + 1024L + 2L * excluded.size());
    for (long tried = 0; tried < tries; tried++) {
      candidate = candidate >= last ? first : candidate + 1;
      AddressPool pool = inside(excluded, candidate);
      if (pool != null) {
        candidate = Math.min(last, pool.last + 1);
        if (inside(excluded, candidate) != null) {
          continue;
        }
      }
      if (usable(candidate) && !held.contains(candidate)) {
        return candidate;
      }
    }
    return -1;
  }

  /** Does this pool hold the offset (of the same range)? */
  boolean covers(long offset) {
    return offset >= first - 1 && offset <= last + 1;
  }

  private static AddressPool inside(List<AddressPool> pools, long offset) {
    for (AddressPool p : pools) {
      if (p.covers(offset)) {
        return p;
      }
    }
    return null;
  }

  private static AddressPool checked(AddressPool pool, String key) {
    for (long o = pool.first; o <= pool.last && o - pool.first < 1024; o++) {
      if (pool.usable(o)) {
        return pool;
      }
    }
    if (pool.last - pool.first >= 1024) {
      return pool;
    }
    throw new IllegalArgumentException(
        key + ": " + pool.prefix + " holds only addresses Tailscale reserves");
  }

  private static String[] split(String prefix, String key) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException(
          key
              + ": a prefix is required (Ledgerscale gives every node an IPv4 and an"
              + " IPv6 address)");
    }
    String[] parts = prefix.trim().split("/", -1);
    if (parts.length != 2 || !parts[1].matches("\\d{1,3}")) {
      throw new IllegalArgumentException(
          key + ": '" + prefix + "' is not a prefix (address/length)");
    }
    return parts;
  }

  private static byte[] literal(String address, String key, String prefix) {
    try {
      // it holds a colon, so Java reads it as an IPv6 literal and never looks the text up as a name
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(key + ": '" + prefix + "' is not a valid address", e);
    }
  }

  private static int bits(String text, int max, String key, String prefix) {
    int bits = Integer.parseInt(text);
    if (bits > max) {
      throw new IllegalArgumentException(key + ": '" + prefix + "' has a length over " + max);
    }
    return bits;
  }
}
