// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import io.ledgerscale.domain.api.query.FetchPolicyReachQuery;
import io.ledgerscale.domain.api.query.PolicyReachView;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policydocument.PolicyReach;
import io.ledgerscale.domain.policydocument.TailnetHistory;
import java.util.stream.Stream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Answers "what could node A reach at T" from the event store itself, not from a read model: every
 * event recorded at or before T is folded, in store order, and the result compiled by the live
 * engine. It reads the storage engine directly (a finite, synchronous read in batches) rather than
 * a live event stream; only the event types the fold uses are deserialized.
 */
@Component
public class PolicyReachQueries {
  private final EventStorageEngine events;
  private final TailnetSettings settings;

  public PolicyReachQueries(EventStorageEngine events) {
    this(events, TailnetSettings.NONE);
  }

  @Autowired
  public PolicyReachQueries(EventStorageEngine events, ObjectProvider<TailnetSettings> settings) {
    this(events, settings.getIfAvailable(() -> TailnetSettings.NONE));
  }

  PolicyReachQueries(EventStorageEngine events, TailnetSettings settings) {
    this.events = events;
    this.settings = settings;
  }

  @QueryHandler
  public PolicyReachView handle(FetchPolicyReachQuery query) {
    TailnetHistory history = new TailnetHistory();
    try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(null, false)) {
      // commit order and timestamps agree closely but not strictly, so later events are skipped,
      // not a stop sign
      stream
          .filter(event -> !event.getTimestamp().isAfter(query.at()))
          .filter(event -> TailnetHistory.isRelevant(event.getPayloadType()))
          .forEachOrdered(event -> history.apply(event.getPayload(), event.getTimestamp()));
    }
    return PolicyReach.at(history, settings, query.nodeId(), query.at());
  }
}
