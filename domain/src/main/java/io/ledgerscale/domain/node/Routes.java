// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Route prefixes an admin approves: IPv4 or IPv6 CIDRs in network form. An exit route means both
 * families.
 */
final class Routes {
  static final String EXIT_V4 = "0.0.0.0/0";
  static final String EXIT_V6 = "::/0";
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** Thrown with a message fit for the admin. */
  static final class InvalidRoute extends Exception {
    InvalidRoute(String message) {
      super(message, null, false, false);
    }
  }

  private Routes() {}

  static List<String> normalize(List<String> routes) throws InvalidRoute {
    Set<String> out = new LinkedHashSet<>();
    for (String route : routes == null ? List.<String>of() : routes) {
      String cidr = canonical(route);
      if (cidr.equals(EXIT_V4) || cidr.equals(EXIT_V6)) {
        out.add(EXIT_V4);
        out.add(EXIT_V6);
      } else {
        out.add(cidr);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Advertised routes as the client sent them, canonical and without repeats; exit routes are not
   * doubled.
   */
  static List<String> canonicalAll(List<String> routes) throws InvalidRoute {
    Set<String> out = new LinkedHashSet<>();
    for (String route : routes == null ? List.<String>of() : routes) {
      out.add(canonical(route));
    }
    return new ArrayList<>(out);
  }

  private static String canonical(String route) throws InvalidRoute {
    String r = route == null ? "" : route.trim();
    int slash = r.indexOf('/');
    if (slash < 0) {
      throw new InvalidRoute("invalid route '" + route + "': expected a CIDR like 10.0.0.0/24");
    }
    String address = r.substring(0, slash);
    boolean v4 = V4.matcher(address).matches();
    // only literals reach InetAddress, so no name is ever looked up
    if (!v4 && !V6.matcher(address).matches()) {
      throw new InvalidRoute("invalid route '" + route + "': not an IP address");
    }
    int bits;
    try {
      bits = Integer.parseInt(r.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new InvalidRoute("invalid route '" + route + "': bad prefix length");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new InvalidRoute("invalid route '" + route + "': not an IP address");
    }
    if ((v4 && bytes.length != 4) || (!v4 && bytes.length != 16)) {
      throw new InvalidRoute("invalid route '" + route + "': mixed address family");
    }
    int width = bytes.length * 8;
    if (bits < 0 || bits > width) {
      throw new InvalidRoute("invalid route '" + route + "': prefix length must be 0 to " + width);
    }
    BigInteger value = new BigInteger(1, bytes);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE);
    if (!value.and(hostMask).equals(BigInteger.ZERO)) {
      throw new InvalidRoute(
          "invalid route '" + route + "': host bits are set; use the network address");
    }
    try {
      String text = InetAddress.getByAddress(bytes).getHostAddress();
      return (v4 ? text : compressV6(text)) + "/" + bits;
    } catch (UnknownHostException e) {
      throw new InvalidRoute("invalid route '" + route + "'");
    }
  }

  /** Java prints 0:0:0:0:0:0:0:0; Tailscale and operators write ::. */
  private static String compressV6(String full) {
    String[] parts = full.split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < parts.length; ) {
      if (!parts[i].equals("0")) {
        i++;
        continue;
      }
      int j = i;
      while (j < parts.length && parts[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
    String tail =
        String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLength, parts.length));
    return head + "::" + tail;
  }
}
