// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.deadletter;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterEvictionCommand;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterRetryCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;

/**
 * Records operators' decisions about dead letters on the server's one {@link DeadLetterDecisions}.
 */
public class DeadLetterDecisionRecorder {
  private final Repository<DeadLetterDecisions> decisions;

  public DeadLetterDecisionRecorder(Repository<DeadLetterDecisions> decisions) {
    this.decisions = decisions;
  }

  @CommandHandler
  public void handle(RecordDeadLetterEvictionCommand command) throws Exception {
    decisions
        .loadOrCreate(AggregateIds.DEAD_LETTER_DECISIONS, DeadLetterDecisions::new)
        .execute(d -> d.record(command));
  }

  @CommandHandler
  public void handle(RecordDeadLetterRetryCommand command) throws Exception {
    decisions
        .loadOrCreate(AggregateIds.DEAD_LETTER_DECISIONS, DeadLetterDecisions::new)
        .execute(d -> d.record(command));
  }
}
