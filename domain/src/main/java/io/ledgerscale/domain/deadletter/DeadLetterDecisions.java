// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.deadletter;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.deadletter.DeadLettersEvictedEvent;
import io.ledgerscale.domain.api.deadletter.DeadLettersRetriedEvent;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterEvictionCommand;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterRetryCommand;
import io.ledgerscale.domain.support.Refusals;
import java.util.List;
import java.util.Optional;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * What operators decided about the read side. Projections set aside events they cannot handle (dead
 * letters) instead of stopping; retrying or evicting them changes what a projection knows, so each
 * decision is an event with its actor, like any change to the tailnet. One aggregate for the whole
 * server: these decisions are rare and need no other state.
 */
public class DeadLetterDecisions {
  private static final String TYPE = "DeadLetterDecisions";

  // there is one, so its identifier is known before any event (a refusal may be its first)
  @AggregateIdentifier private String id = AggregateIds.DEAD_LETTER_DECISIONS;

  /** Required by Axon to rebuild the aggregate from its events (and to create it on first use). */
  protected DeadLetterDecisions() {}

  void record(RecordDeadLetterEvictionCommand command) {
    List<String> named =
        command.eventIds() == null
            ? List.of()
            : command.eventIds().stream().limit(DeadLettersEvictedEvent.MAX_EVENT_IDS).toList();
    Optional<BoundViolation> violation =
        InputBounds.first(
            InputBounds.requiredText("group", command.group(), InputBounds.ID_TEXT_MAX),
            InputBounds.requiredText("sequence", command.sequence(), InputBounds.KEY_TEXT_MAX));
    for (String eventId : named) {
      if (violation.isEmpty()) {
        violation = InputBounds.requiredText("eventId", eventId, InputBounds.ID_TEXT_MAX);
      }
    }
    Refusals.requireWithinBounds(command, TYPE, command.group(), violation);
    apply(
        new DeadLettersEvictedEvent(
            command.group(), command.sequence(), Math.max(command.letters(), 0), named));
  }

  void record(RecordDeadLetterRetryCommand command) {
    Refusals.requireWithinBounds(
        command,
        TYPE,
        command.group(),
        InputBounds.requiredText("group", command.group(), InputBounds.ID_TEXT_MAX));
    apply(
        new DeadLettersRetriedEvent(
            command.group(), command.before(), command.processed(), command.stillFailing()));
  }
}
