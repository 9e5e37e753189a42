// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Syntax rules for names and tags that several commands share. */
public final class Names {
  /**
   * A DNS label as MagicDNS needs it: lower case letters, digits and inner dashes, at most 63
   * characters.
   */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Tailscale: a tag name starts with a letter and holds letters, digits and dashes. */
  private static final Pattern TAG = Pattern.compile("tag:[A-Za-z][A-Za-z0-9-]*");

  /** User names may be e-mail-like (OIDC); no spaces or control characters. */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}");

  private Names() {}

  public static boolean isDnsLabel(String name) {
    return name != null && DNS_LABEL.matcher(name).matches();
  }

  public static boolean isTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  public static boolean isUserName(String name) {
    return name != null && USER_NAME.matcher(name).matches();
  }

  /** The first malformed tag, or null when all are well formed. */
  public static String firstMalformedTag(List<String> tags) {
    for (String tag : tags) {
      if (!isTag(tag)) {
        return tag;
      }
    }
    return null;
  }

  /**
   * Turns a client's hostname into a DNS label base: lower case, every run of other characters
   * becomes one dash, no dash at either end. Leaves room for a {@code -N} suffix. Never empty.
   */
  public static String dnsBase(String hostname) {
    String lower = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    boolean dash = false;
    for (char c : lower.toCharArray()) {
      if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
        if (dash && out.length() > 0) {
          out.append('-');
        }
        dash = false;
        out.append(c);
      } else {
        dash = true;
      }
    }
    String base = out.length() > 56 ? out.substring(0, 56) : out.toString();
    while (base.endsWith("-")) {
      base = base.substring(0, base.length() - 1);
    }
    return base.isEmpty() ? "node" : base;
  }
}
