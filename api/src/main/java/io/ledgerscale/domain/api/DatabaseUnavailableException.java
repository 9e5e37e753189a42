// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A request failed because the database could not be reached (down, restarting, or no connection to
 * be had in time). The server's buses turn such failures into this exception where they happen
 * (they know the database); the edges answer it as "busy" (503 with Retry-After) instead of an
 * internal error.
 */
public class DatabaseUnavailableException extends ServerBusyException {
  /** About how long the embedded PostgreSQL takes to be restarted by its supervisor. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  public DatabaseUnavailableException() {
    super("the database is unavailable; try again shortly", RETRY_AFTER);
  }

  /** The "database unavailable" in {@code failure}'s cause chain, if there is one. */
  public static Optional<DatabaseUnavailableException> causing(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof DatabaseUnavailableException down) {
        return Optional.of(down);
      }
    }
    return Optional.empty();
  }
}
