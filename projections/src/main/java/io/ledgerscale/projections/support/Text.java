// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

/**
 * Text as PostgreSQL can store it. Its text and jsonb types refuse the NUL character (U+0000),
 * which Java strings and JSON ({@code \u0000}) carry without complaint; the event keeps the
 * original, the view shows U+FFFD in its place.
 */
public final class Text {
  static final char NUL = '\u0000';
  static final char REPLACEMENT = '\uFFFD';

  /** JSON's escaped NUL, which jsonb refuses as well. */
  private static final String ESCAPED_NUL = "\\u0000";

  private Text() {}

  /** A value for a text column: every NUL replaced. */
  public static String storable(String value) {
    return value == null || value.indexOf(NUL) < 0 ? value : value.replace(NUL, REPLACEMENT);
  }

  /**
   * JSON text for a jsonb column: raw NULs and escaped ones ({@code \u0000}) replaced. An escaped
   * backslash followed by "u0000" is data, not an escaped NUL, so escapes are read pairwise.
   */
  public static String storableJson(String json) {
    String s = storable(json);
    return s == null || !s.contains(ESCAPED_NUL) ? s : replaceEscapedNul(s);
  }

  private static String replaceEscapedNul(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        if (s.startsWith(ESCAPED_NUL, i)) {
          out.append("\\ufffd");
          i += ESCAPED_NUL.length();
        } else {
          // any other escape, an escaped backslash included, is copied as a pair
          out.append(c).append(s.charAt(i + 1));
          i += 2;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
