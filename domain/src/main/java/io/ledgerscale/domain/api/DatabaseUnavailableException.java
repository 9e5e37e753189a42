// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

/**
 * A request failed because the database could not be reached (down, restarting, or no connection to
 * be had in time). The one place that recognises such a failure in a cause chain; the edges answer
 * it as "busy" (503 with Retry-After) instead of an internal error.
 */
public class DatabaseUnavailableException extends ServerBusyException {
  /** About how long the embedded PostgreSQL takes to be restarted by its supervisor. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private static final String HIKARI_CLOSED = "Connection is closed";

  public DatabaseUnavailableException() {
    super("the database is unavailable; try again shortly", RETRY_AFTER);
  }

  /** {@code failure} as "database unavailable" if a database connection failure caused it. */
  public static Optional<DatabaseUnavailableException> causing(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
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
