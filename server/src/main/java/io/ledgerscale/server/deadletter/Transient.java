// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.domain.api.ServerBusyException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.axonframework.common.AxonTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Failures that say nothing about the event: the same handler would succeed on the same event a
 * moment later. Anywhere in the cause chain: a Spring transient or resource failure, Axon's
 * transient exception, our command gate's busy refusal, or a SQL state of the classes "connection
 * exception" (08), "transaction rollback" (40: serialization failure, deadlock), "insufficient
 * resources" (53), "operator intervention" (57: shutdown, query cancelled) or "system error" (58).
 */
final class Transient {
  private Transient() {}

  static boolean is(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof TransientDataAccessException
          || t instanceof RecoverableDataAccessException
          || t instanceof DataAccessResourceFailureException
          || t instanceof AxonTransientException
          || t instanceof ServerBusyException
          || t instanceof SQLTransientException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean transientState(String state) {
    if (state == null || state.length() < 2) {
      return false;
    }
    return switch (state.substring(0, 2)) {
      case "08", "40", "53", "57", "58" -> true;
      default -> false;
    };
  }
}
