// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Instant ↔ timestamptz conversions, null-safe, so handlers stay one statement each.
 *
 * <p>An event may carry any {@link Instant} (an API key "valid until +999999999-12-31"), while
 * PostgreSQL's timestamptz ends in 294276 AD and begins in 4713 BC. A projection must store every
 * event it is given, so an instant beyond either end is written as {@code infinity} or {@code
 * -infinity} (which also keep their order: later and earlier than every other value), and read back
 * as {@link Instant#MAX} or {@link Instant#MIN}.
 */
public final class Sql {
  /** The last instant timestamptz holds (294276-12-31T23:59:59.999999Z). */
  static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");

  /** The first instant timestamptz holds (4714-11-24 BC in the proleptic Gregorian calendar). */
  static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");

  private Sql() {}

  /**
   * A statement argument for a timestamptz column: a Timestamp, or the OffsetDateTime extremes
   * pgjdbc writes as 'infinity' and '-infinity'.
   */
  public static Object ts(Instant instant) {
    if (instant == null) {
      return null;
    }
    if (instant.isAfter(LATEST)) {
      return OffsetDateTime.MAX;
    }
    if (instant.isBefore(EARLIEST)) {
      return OffsetDateTime.MIN;
    }
    return Timestamp.from(instant);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    if (t == null) {
      return null;
    }
    if (t.equals(OffsetDateTime.MAX)) {
      return Instant.MAX;
    }
    if (t.equals(OffsetDateTime.MIN)) {
      return Instant.MIN;
    }
    return t.toInstant();
  }

  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
