// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration text ({@code 12h}, {@code 1h30m}, {@code 1.5h}, {@code -1m}), as Tailscale policies
 * write it.
 */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|ms|s|m|h)");
  private static final Map<String, Long> NANOS =
      Map.of(
          "ns",
          1L,
          "us",
          1_000L,
          "\u00b5s",
          1_000L,
          "ms",
          1_000_000L,
          "s",
          1_000_000_000L,
          "m",
          60_000_000_000L,
          "h",
          3_600_000_000_000L);

  private static final BigDecimal MIN_NANOS = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /**
   * Parses like Go's time.ParseDuration; refuses with Go's message, {@code time: invalid duration
   * "x"}.
   */
  public static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    BigDecimal total = BigDecimal.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw invalid(text);
      }
      total =
          total.add(
              new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                  .multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw invalid(text);
    }
    BigDecimal signed = negative ? total.negate() : total;
    // Go refuses what does not fit 64-bit nanoseconds; narrowing would wrap 2^64ns+1h to 1h
    if (signed.compareTo(MIN_NANOS) < 0 || signed.compareTo(MAX_NANOS) > 0) {
      throw invalid(text);
    }
    return Duration.ofNanos(signed.longValue());
  }

  /**
   * Go's Duration.String for whole seconds: {@code 200h0m0s}, {@code 1m0s}, {@code 30s}, {@code
   * 0s}.
   */
  public static String format(Duration d) {
    String sign = d.isNegative() ? "-" : "";
    long secs = Math.abs(d.getSeconds());
    if (secs >= 3600) {
      return sign + secs / 3600 + "h" + secs % 3600 / 60 + "m" + secs % 60 + "s";
    }
    if (secs >= 60) {
      return sign + secs / 60 + "m" + secs % 60 + "s";
    }
    return sign + secs + "s";
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
  }
}
