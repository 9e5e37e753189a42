// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.CommandRefusedException;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * The command bus's rollback rule: like Axon's default (roll back on unchecked exceptions), except that a
 * {@link CommandRefusedException} commits. A handler that refuses applies exactly one refusal event before throwing,
 * so committing keeps the audit record of the refusal while nothing else changes.
 */
public final class RefusalsCommit implements RollbackConfiguration {

  @Override
  public boolean rollBackOn(Throwable throwable) {
    if (throwable instanceof CommandRefusedException) {
      return false;
    }
    return RollbackConfigurationType.UNCHECKED_EXCEPTIONS.rollBackOn(throwable);
  }
}
