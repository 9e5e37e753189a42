// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import io.ledgerscale.cli.CliException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A moment given on the command line (RFC 3339), checked before anything is asked. */
final class Moments {
  private Moments() {}

  static String parse(String flag, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim()).toString();
    } catch (DateTimeParseException e) {
      throw new CliException(
          "invalid " + flag + " \"" + value + "\": use RFC 3339, e.g. 2026-01-31T12:00:00Z");
    }
  }
}
