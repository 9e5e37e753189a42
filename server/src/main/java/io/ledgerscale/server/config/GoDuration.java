// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Headscale config files write them: Go's "1h30m", "500ms", plus the "d",
 * "w" and "y" units Headscale accepts ("180d"). A bare "0" means zero, which for node expiry means
 * "never".
 */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)");

  private GoDuration() {}

  /** Parses a duration; the key is only used to make the error say which setting is wrong. */
  public static Duration parse(String key, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    double nanos = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new ConfigException(
            key + ": '" + text + "' is not a duration (examples: 30s, 15m, 3h, 180d)");
      }
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      at = m.end();
    }
    return Duration.ofNanos((long) nanos);
  }

  private static double unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return 1;
      case "us":
      case "µs":
        return 1e3;
      case "ms":
        return 1e6;
      case "s":
        return 1e9;
      case "m":
        return 60e9;
      case "h":
        return 3600e9;
      case "d":
        return 86400e9;
      case "w":
        return 7 * 86400e9;
      default:
        return 365 * 86400e9;
    }
  }
}
