// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Headscale's flags take them (Prometheus style): 90d, 1h, 30m, 1h30m, 2w, 1y, 500ms.
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("((\\d+)(y|w|d|h|ms|m|s))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(y|w|d|h|ms|m|s)");

  private Durations() {}

  public static Duration parse(String text) {
    String value = text == null ? "" : text.trim();
    if ("0".equals(value)) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(value).matches()) {
      throw new CliException("invalid duration \"" + text + "\" (examples: 30m, 1h, 90d, 1h30m)");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(value);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "y" -> Duration.ofDays(365 * n);
                case "w" -> Duration.ofDays(7 * n);
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
              });
    }
    return total;
  }
}
