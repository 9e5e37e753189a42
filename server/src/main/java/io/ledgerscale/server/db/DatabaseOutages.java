// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.db;

import io.ledgerscale.domain.api.DatabaseUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * The one place that recognises, in a cause chain, that the database could not be reached. The
 * command and query buses use it to hand the edges a {@link DatabaseUnavailableException} instead
 * of the driver's or the pool's own exception, which the edges (and the domain) know nothing of.
 */
public final class DatabaseOutages {
  private static final String HIKARI_CLOSED = "Connection is closed";

  private DatabaseOutages() {}

  /** {@code failure} as "database unavailable" if a lost or unobtainable connection caused it. */
  public static Optional<DatabaseUnavailableException> causing(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof DatabaseUnavailableException down) {
        return Optional.of(down);
      }
      if (isConnectionFailure(t)) {
        return Optional.of(new DatabaseUnavailableException());
      }
    }
    return Optional.empty();
  }

  /**
   * The pool's timeout, a connection the driver or the pool lost, or PostgreSQL's class 08
   * (connection exception, except 08P01, a protocol violation) and 57P01-57P03 (shutting down,
   * crashed, starting up).
   */
  static boolean isConnectionFailure(Throwable t) {
    if (t instanceof SQLTransientConnectionException
        || t instanceof SQLNonTransientConnectionException
        || t instanceof SQLRecoverableException) {
      return true;
    }
    if (t instanceof SQLException sql && sql.getSQLState() == null) {
      // what HikariCP's proxy throws once the pool evicted its connection as broken
      return HIKARI_CLOSED.equals(sql.getMessage());
    }
    if (t instanceof SQLException sql) {
      String state = sql.getSQLState();
      return (state.startsWith("08") && !state.equals("08P01"))
          || state.equals("57P01")
          || state.equals("57P02")
          || state.equals("57P03");
    }
    return false;
  }
}
