// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.deadletter.DeadLettersEvictedEvent;
import io.ledgerscale.domain.api.deadletter.DeadLettersRetriedEvent;

/** Operators acting on a projection's dead letters. */
final class DeadLetterDescriptions {
  private DeadLetterDescriptions() {}

  static void register(Descriptions d) {
    d.on(DeadLettersEvictedEvent.class, DeadLetterDescriptions::deadLettersEvicted);
    d.on(DeadLettersRetriedEvent.class, DeadLetterDescriptions::deadLettersRetried);
  }

  private static AuditDescription deadLettersEvicted(DeadLettersEvictedEvent e) {
    return new AuditDescription(
        "projection",
        e.group(),
        none(),
        of("sequence", e.sequence(), "evicted", e.letters(), "eventIds", e.eventIds()),
        "evicted "
            + e.letters()
            + " dead letter(s) of sequence "
            + e.sequence()
            + ": "
            + e.group()
            + " skips them for good");
  }

  private static AuditDescription deadLettersRetried(DeadLettersRetriedEvent e) {
    return new AuditDescription(
        "projection",
        e.group(),
        of("deadLetters", e.before()),
        of("deadLetters", e.stillFailing(), "processed", e.processed()),
        "retried "
            + e.before()
            + " dead letter(s) of "
            + e.group()
            + ": "
            + e.processed()
            + " processed, "
            + e.stillFailing()
            + " still failing");
  }
}
