// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

/** The autogroups Ledgerscale understands, as Headscale does; others are refused. */
public enum AutoGroupKind {
  MEMBER("autogroup:member"),
  TAGGED("autogroup:tagged"),
  SELF("autogroup:self"),
  INTERNET("autogroup:internet"),
  NONROOT("autogroup:nonroot"),
  DANGER_ALL("autogroup:danger-all");

  private final String text;

  AutoGroupKind(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static AutoGroupKind parse(String token) {
    for (AutoGroupKind k : values()) {
      if (k.text.equals(token)) {
        return k;
      }
    }
    throw new IllegalArgumentException("autogroup \"" + token + "\" is not supported");
  }
}
