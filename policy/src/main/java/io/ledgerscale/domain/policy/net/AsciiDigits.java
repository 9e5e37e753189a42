// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.net;

/**
 * Numbers in a policy (ports, octets, prefix lengths, protocol numbers) are ASCII digits, as Go's
 * strconv reads them. {@link Character#isDigit} and {@link Integer#parseInt} also take other
 * scripts' digits, which would let "２２" or "١٠.٠.٠.١" mean 22 or 10.0.0.1 while reading as
 * something else.
 */
public final class AsciiDigits {
  private AsciiDigits() {}

  /** True for a non-empty string of 0-9 only. */
  public static boolean only(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
