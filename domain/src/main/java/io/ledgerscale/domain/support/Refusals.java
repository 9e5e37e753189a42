// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import org.axonframework.modelling.command.AggregateLifecycle;

/**
 * Records a refusal on the aggregate whose lifecycle is active, then hands back the exception to
 * throw. Call it only before anything else was applied in the unit of work: {@link RefusalsCommit}
 * commits the unit of work, so any other event applied earlier would be committed too.
 */
public final class Refusals {

  private Refusals() {}

  public static CommandRefusedException refuse(
      Object command, String targetType, Object targetId, RefusalKind kind, String reason) {
    AggregateLifecycle.apply(
        new CommandRefusedEvent(
            command.getClass().getSimpleName(),
            targetType,
            targetId == null ? null : targetId.toString(),
            kind,
            reason));
    return new CommandRefusedException(kind, reason);
  }
}
