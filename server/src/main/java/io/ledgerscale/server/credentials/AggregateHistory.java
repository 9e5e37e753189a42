// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * One aggregate's events, read by its identifier from the event store: the history every
 * acknowledged command has already been written to, whatever the read models have processed. A
 * lookup by stream is an indexed read of a few rows, cheap enough for every request.
 */
@Component
public class AggregateHistory {
  /** Aggregate identifiers are ours, never longer than the column; anything longer is no stream. */
  private static final int MAX_ID_LENGTH = 255;

  private final EventStore events;

  public AggregateHistory(EventStore events) {
    this.events = events;
  }

  /** The stream's events, oldest first; empty for an unknown identifier. */
  public List<DomainEventMessage<?>> of(String aggregateId) {
    if (aggregateId == null || aggregateId.length() > MAX_ID_LENGTH) {
      return List.of();
    }
    // from sequence 0: a snapshot would stand for events whose payloads the folds need
    return events.readEvents(aggregateId, 0).asStream().<DomainEventMessage<?>>map(m -> m).toList();
  }
}
