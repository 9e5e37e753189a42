// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

/**
 * A client's hostname (Hostinfo.Hostname) made into a DNS label, as Tailscale does with it for
 * MagicDNS (util/dnsname.SanitizeHostname): never refused, whatever it holds. A client names itself
 * after its OS hostname, which we do not control, so anything it sends is cut down to a label
 * rather than turned away.
 *
 * <p>Rules: a trailing ".local", ".localdomain" or ".lan" goes; ASCII letters become lower case;
 * every run of other characters (dots, spaces, '_', '@', NUL, anything non-ASCII) becomes one dash;
 * dashes at either end go; at most 63 characters. Only the first {@value #SCANNED} characters are
 * read, so the cost of a huge hostname is bounded by the body limit alone. May be empty.
 */
public final class Hostnames {
  /** Characters of the raw hostname looked at; more cannot survive the cut to 63 anyway. */
  static final int SCANNED = 1024;

  private static final String[] COMMON_SUFFIXES = {".local", ".localdomain", ".lan"};

  private Hostnames() {}

  public static String sanitise(String hostname) {
    if (hostname == null) {
      return "";
    }
    String raw = hostname.length() > SCANNED ? hostname.substring(0, SCANNED) : hostname;
    if (raw.length() == hostname.length()) {
      for (String suffix : COMMON_SUFFIXES) {
        if (raw.length() > suffix.length()
            && raw.regionMatches(
                true, raw.length() - suffix.length(), suffix, 0, suffix.length())) {
          raw = raw.substring(0, raw.length() - suffix.length());
          break;
        }
      }
    }
    StringBuilder out = new StringBuilder(InputBounds.NODE_NAME_MAX);
    boolean pendingDash = false;
    for (int i = 0; i < raw.length() && out.length() < InputBounds.NODE_NAME_MAX; i++) {
      char c = raw.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      boolean keep = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      if (!keep) {
        pendingDash = true;
        continue;
      }
      if (pendingDash && out.length() > 0) {
        if (out.length() + 1 >= InputBounds.NODE_NAME_MAX) {
          break;
        }
        out.append('-');
      }
      pendingDash = false;
      out.append(c);
    }
    return out.toString();
  }
}
