// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.admin.deadletter.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projections' dead letters for the admin API: read from the table, retried and evicted through
 * Axon's own queue and processor, so the queue's claims and ordering stay Axon's.
 */
public class AxonDeadLetters implements DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(AxonDeadLetters.class);

  /** Sequences one retry goes through at most; the rest wait for the next retry. */
  static final int MAX_SEQUENCES_PER_RETRY = 10_000;

  private final EventProcessingConfiguration processing;
  private final TransactionManager transactions;
  private final DeadLetterTable table;

  public AxonDeadLetters(
      EventProcessingConfiguration processing,
      TransactionManager transactions,
      DeadLetterTable table) {
    this.processing = processing;
    this.transactions = transactions;
    this.table = table;
  }

  @Override
  public Set<String> groups() {
    Set<String> groups = new TreeSet<>();
    for (String name : processing.eventProcessors().keySet()) {
      if (processing.deadLetterQueue(name).isPresent()) {
        groups.add(name);
      }
    }
    return groups;
  }

  @Override
  public List<Letter> list(String group, int limit) {
    return table.list(group, limit);
  }

  @Override
  public Retry retry(String group) {
    SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
    SequencedDeadLetterProcessor<EventMessage<?>> processor =
        processing
            .sequencedDeadLetterProcessor(group)
            .orElseThrow(() -> new IllegalArgumentException("no dead-letter queue: " + group));
    long before = transactions.fetchInTransaction(queue::size);
    long sequences =
        Math.min(
            MAX_SEQUENCES_PER_RETRY, transactions.fetchInTransaction(queue::amountOfSequences));
    for (long i = 0; i < sequences; i++) {
      // each call takes the sequence least recently tried; one that fails again is put back
      // with a new last-touched time, so the next call takes another
      processor.processAny();
    }
    long after = transactions.fetchInTransaction(queue::size);
    log.info(
        "dead letters of {} retried: {} processed, {} still failing", group, before - after, after);
    return new Retry(group, before, Math.max(0, before - after), after);
  }

  @Override
  public int evict(String group, String sequence, Consumer<List<String>> record) {
    SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
    return transactions.fetchInTransaction(
        () -> {
          List<DeadLetter<? extends EventMessage<?>>> letters = new ArrayList<>();
          queue.deadLetterSequence(sequence).forEach(letters::add);
          if (!letters.isEmpty()) {
            record.accept(letters.stream().map(l -> l.message().getIdentifier()).toList());
          }
          letters.forEach(queue::evict);
          return letters.size();
        });
  }

  private SequencedDeadLetterQueue<EventMessage<?>> queue(String group) {
    return processing
        .deadLetterQueue(group)
        .orElseThrow(() -> new IllegalArgumentException("no dead-letter queue: " + group));
  }
}
