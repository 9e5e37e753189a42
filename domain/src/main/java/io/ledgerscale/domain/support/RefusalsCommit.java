// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.CommandRefusedException;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * The command bus's rollback rule: roll back on anything thrown, except a {@link
 * CommandRefusedException}. A handler that refuses applies exactly one refusal event before
 * throwing, so committing keeps the audit record of the refusal while nothing else changes. Unlike
 * Axon's default, a checked exception rolls back too: a handler that touches several aggregates
 * must not commit half its work.
 */
public final class RefusalsCommit implements RollbackConfiguration {

  @Override
  public boolean rollBackOn(Throwable throwable) {
    if (throwable instanceof CommandRefusedException) {
      return false;
    }
    return RollbackConfigurationType.ANY_THROWABLE.rollBackOn(throwable);
  }
}
