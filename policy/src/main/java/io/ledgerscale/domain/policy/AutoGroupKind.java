// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

/**
 * The autogroups Ledgerscale understands: Headscale's, and the tailnet's owner and admins as the
 * operator names them ({@code policy.owner}, {@code policy.admins}); others are refused.
 */
public enum AutoGroupKind {
  MEMBER("autogroup:member"),
  TAGGED("autogroup:tagged"),
  SELF("autogroup:self"),
  INTERNET("autogroup:internet"),
  NONROOT("autogroup:nonroot"),
  DANGER_ALL("autogroup:danger-all"),
  ADMIN("autogroup:admin"),
  OWNER("autogroup:owner");

  /** Names users the operator's settings list, not the tailnet's nodes or members as such. */
  public boolean isRole() {
    return this == ADMIN || this == OWNER;
  }

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
