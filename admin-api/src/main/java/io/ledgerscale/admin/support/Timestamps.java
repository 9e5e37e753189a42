// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as grpc-gateway writes them: RFC 3339 in UTC, with 0, 3, 6 or 9 fraction digits; unset
 * is null.
 */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
