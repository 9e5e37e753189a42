// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.net.IpPrefix;

/** One entry of a rule's src or dst: who or what it names. */
public sealed interface Alias {

  /** The text as written in the policy. */
  String text();

  /** {@code *}: every tailnet address (src) or every address (dst). */
  record Wildcard() implements Alias {
    @Override
    public String text() {
      return "*";
    }
  }

  /** {@code alice@}, {@code alice@example.com}. */
  record User(String text) implements Alias {}

  record Group(String text) implements Alias {}

  record Tag(String text) implements Alias {}

  /** A name from the policy's {@code hosts}. */
  record Host(String text) implements Alias {}

  /** An IP address or CIDR written literally. */
  record Prefix(String text, IpPrefix prefix) implements Alias {}

  /** {@code autogroup:<kind>}. */
  record AutoGroup(String text, AutoGroupKind kind) implements Alias {}

  /**
   * Classifies one alias string; refuses what Tailscale refuses as a name (unknown autogroups).
   * Whether the named group, tag or host exists is checked later against the whole policy.
   */
  static Alias parse(String token) {
    if (token.equals("*")) {
      return new Wildcard();
    }
    if (token.startsWith("autogroup:")) {
      return new AutoGroup(token, AutoGroupKind.parse(token));
    }
    if (token.startsWith("group:")) {
      return new Group(token);
    }
    if (token.startsWith("tag:")) {
      return new Tag(token);
    }
    if (token.contains("@")) {
      return new User(token);
    }
    if (!token.isEmpty() && (Character.isDigit(token.charAt(0)) || token.contains(":"))) {
      try {
        return new Prefix(token, IpPrefix.parse(token));
      } catch (IllegalArgumentException e) {
        if (token.contains("/") || token.contains(":") || token.matches("[0-9.]+")) {
          throw new IllegalArgumentException("invalid IP address or CIDR \"" + token + "\"");
        }
      }
    }
    return new Host(token);
  }
}
