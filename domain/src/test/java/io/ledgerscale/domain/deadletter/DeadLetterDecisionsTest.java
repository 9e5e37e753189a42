// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.deadletter.DeadLettersEvictedEvent;
import io.ledgerscale.domain.api.deadletter.DeadLettersRetriedEvent;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterEvictionCommand;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterRetryCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterDecisionsTest {
  private final InJvmLedger ledger = new InJvmLedger();

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void recordsEveryDecisionOnTheServersOneAggregate() {
    ledger.send(new RecordDeadLetterRetryCommand("users", 2, 1, 1));
    ledger.send(new RecordDeadLetterEvictionCommand("users", "user-7", 1, List.of("e-1")));

    assertThat(ledger.payloads(AggregateIds.DEAD_LETTER_DECISIONS))
        .containsExactly(
            new DeadLettersRetriedEvent("users", 2, 1, 1),
            new DeadLettersEvictedEvent("users", "user-7", 1, List.of("e-1")));
  }

  @Test
  void namesAtMostAHundredEvictedEventsButCountsThemAll() {
    List<String> ids = IntStream.range(0, 250).mapToObj(i -> "event-" + i).toList();

    ledger.send(new RecordDeadLetterEvictionCommand("audit-trail", "node-1", 250, ids));

    DeadLettersEvictedEvent evicted =
        (DeadLettersEvictedEvent) ledger.payloads(AggregateIds.DEAD_LETTER_DECISIONS).get(0);
    assertThat(evicted.letters()).isEqualTo(250);
    assertThat(evicted.eventIds()).hasSize(DeadLettersEvictedEvent.MAX_EVENT_IDS);
  }

  @Test
  void refusesASequenceOutOfBoundsAndRecordsOnlyTheRefusal() {
    assertThatThrownBy(
            () ->
                ledger.send(
                    new RecordDeadLetterEvictionCommand("users", "x".repeat(5000), 1, List.of())))
        .isInstanceOf(CommandRefusedException.class);
    assertThatThrownBy(
            () ->
                ledger.send(
                    new RecordDeadLetterEvictionCommand("users", "s", 1, List.of("bad\u0000id"))))
        .isInstanceOf(CommandRefusedException.class);

    assertThat(ledger.allPayloads()).allMatch(p -> p instanceof CommandRefusedEvent);
    assertThat(ledger.allPayloads().toString()).doesNotContain("x".repeat(100));
  }
}
