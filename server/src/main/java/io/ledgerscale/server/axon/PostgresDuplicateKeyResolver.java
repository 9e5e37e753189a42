// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import java.sql.SQLException;
import org.axonframework.common.ExceptionUtils;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Tells Axon that PostgreSQL's unique_violation (SQLState 23505) is a duplicate key. Axon's default
 * resolver only knows SQLIntegrityConstraintViolationException, which pgjdbc never throws, so
 * without this a concurrent append to one stream would surface as a generic EventStoreException
 * instead of a ConcurrencyException that can be retried.
 */
public class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {
  static final String UNIQUE_VIOLATION = "23505";

  @Override
  public boolean isDuplicateKeyViolation(Exception exception) {
    return ExceptionUtils.findException(exception, SQLException.class)
        .map(e -> UNIQUE_VIOLATION.equals(e.getSQLState()))
        .orElse(false);
  }
}
