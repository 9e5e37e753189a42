// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.bounds.InputBounds;
import java.util.List;
import java.util.Locale;

/** Syntax rules for names and tags that several commands share. */
public final class Names {
  private Names() {}

  /** A DNS label as MagicDNS needs it (see {@link InputBounds#isDnsLabel}). */
  public static boolean isDnsLabel(String name) {
    return InputBounds.isDnsLabel(name);
  }

  /** Tailscale's tag syntax, bounded (see {@link InputBounds#isTag}). */
  public static boolean isTag(String tag) {
    return InputBounds.isTag(tag);
  }

  /** User names may be e-mail-like (OIDC); no spaces or control characters. */
  public static boolean isUserName(String name) {
    return InputBounds.isUserName(name);
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
  /**
   * Whether {@code name} is a given name made from {@code hostname}: its {@link #dnsBase}, or that
   * with the "-N" a taken name gets.
   */
  public static boolean madeFrom(String name, String hostname) {
    String base = dnsBase(hostname);
    if (name.equals(base)) {
      return true;
    }
    return name.length() > base.length() + 1
        && name.startsWith(base + "-")
        && name.substring(base.length() + 1).chars().allMatch(c -> c >= '0' && c <= '9');
  }

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
