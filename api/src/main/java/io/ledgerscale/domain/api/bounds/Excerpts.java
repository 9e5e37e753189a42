// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.bounds;

/**
 * A bounded, escaped stand-in for a value that may be hostile: at most {@value #MAX} characters of
 * it, control characters and lone surrogates escaped as {@code \\uXXXX}, and the original length
 * when it was cut. What is recorded about a refused value (audit, logs) is this, never the value.
 */
public final class Excerpts {
  /** Characters of the value kept. */
  public static final int MAX = 64;

  private Excerpts() {}

  public static String of(String value) {
    return of(value, MAX);
  }

  /** As {@link #of(String)} with another cut; used to bound whole messages. */
  public static String of(String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() <= max && InputBounds.firstIllegalChar(value) < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 24);
    int end = Math.min(value.length(), max);
    if (end < value.length() && end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never split a pair: half of one is what this class escapes
    }
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (InputBounds.isIllegalAt(value, i)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > max) {
      out.append("… (").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
