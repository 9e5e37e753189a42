// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

/**
 * A policy was refused. The message keeps Tailscale's wording where Tailscale has one and ends with
 * the position in the policy text when it is known; {@link #line()} and {@link #column()} are
 * 1-based, 0 when unknown.
 */
public class PolicyException extends IllegalArgumentException {
  /**
   * Headscale's prefix for text that is not HuJSON. UIs written for Headscale (Headplane) look for
   * it to show the error next to the policy rather than as a failed request.
   */
  public static final String SYNTAX = "parsing HuJSON: ";

  /**
   * Headscale's prefix for HuJSON whose values have the wrong type (an object where a list
   * belongs); Headplane looks for it as for {@link #SYNTAX}.
   */
  public static final String STRUCTURE = "parsing policy from bytes: ";

  private final String reason;
  private final int line;
  private final int column;

  public PolicyException(String reason, int line, int column) {
    super(line > 0 ? reason + " (line " + line + ", column " + column + ")" : reason);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }

  public PolicyException(String reason, HuJson.Value at) {
    this(reason, at == null ? 0 : at.line(), at == null ? 0 : at.column());
  }

  /** The text is not HuJSON. */
  static PolicyException syntax(String reason, int line, int column) {
    return new PolicyException(SYNTAX + reason, line, column);
  }

  /** A value has the wrong JSON type for its place. */
  static PolicyException structure(String reason, HuJson.Value at) {
    return new PolicyException(STRUCTURE + reason, at);
  }

  /** The refusal without its position. */
  public String reason() {
    return reason;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
