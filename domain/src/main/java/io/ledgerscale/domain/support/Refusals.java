// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.Excerpts;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateLifecycle;

/**
 * Records a refusal on the aggregate whose lifecycle is active, then hands back the exception to
 * throw. Call it only before anything else was applied in the unit of work: {@link RefusalsCommit}
 * commits the unit of work, so any other event applied earlier would be committed too.
 */
public final class Refusals {

  private Refusals() {}

  /** The longest reason recorded; reasons quote what was refused, which may be anything. */
  static final int REASON_MAX = 512;

  /**
   * The refused value itself is never recorded: the target id and the reason (which may quote what
   * was sent) are kept as bounded, escaped excerpts with the original length, so a 3 KB name or a
   * NUL can neither bloat the event store nor stop a projection that reads the refusal.
   */
  public static CommandRefusedException refuse(
      Object command, String targetType, Object targetId, RefusalKind kind, String reason) {
    String boundedReason = Excerpts.of(reason, REASON_MAX);
    AggregateLifecycle.apply(
        new CommandRefusedEvent(
            command.getClass().getSimpleName(),
            targetType,
            targetId == null ? null : Excerpts.of(targetId.toString()),
            kind,
            boundedReason));
    return new CommandRefusedException(kind, boundedReason);
  }

  /**
   * Refuses (recorded, as INVALID) a value outside its bound, when a command carrying one reached
   * an aggregate without passing an edge that checks (the edges answer 400 and send nothing).
   */
  public static void requireWithinBounds(
      Object command, String targetType, Object targetId, Optional<BoundViolation> violation) {
    if (violation.isPresent()) {
      throw refuse(command, targetType, targetId, RefusalKind.INVALID, violation.get().message());
    }
  }
}
