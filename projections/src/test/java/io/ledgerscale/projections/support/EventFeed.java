// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.support;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;

/**
 * Delivers events to projections through Axon's own annotation adapter, the way a streaming
 * processor does: as tracked domain events with a global index, a timestamp and the audit metadata
 * a command would have carried. Everything fed is remembered, so a test can reset the projections
 * and replay the same stream.
 */
public final class EventFeed {
  private final List<AnnotationEventHandlerAdapter> projections = new ArrayList<>();
  private final List<TrackedEventMessage<?>> history = new ArrayList<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private Instant clock = Instant.parse("2026-11-01T10:00:00Z");
  private MetaData metaData =
      AuditMetadata.of(
          new Actor(io.ledgerscale.domain.api.audit.ActorType.API_KEY, "abcdef123456", "ops key"),
          Origin.CLI,
          "192.0.2.7",
          "corr-1");

  public EventFeed(Object... projections) {
    for (Object p : projections) {
      this.projections.add(new AnnotationEventHandlerAdapter(p));
    }
  }

  /** Following events carry this actor and origin. */
  public EventFeed as(Actor actor, Origin origin, String sourceIp, String correlationId) {
    metaData = AuditMetadata.of(actor, origin, sourceIp, correlationId);
    return this;
  }

  public Instant now() {
    return clock;
  }

  /** Publishes one event of the named aggregate, one minute after the previous one. */
  public TrackedEventMessage<?> publish(String aggregateId, Object payload) {
    clock = clock.plusSeconds(60);
    long seq = sequences.merge(aggregateId, 0L, (a, b) -> a + 1);
    TrackedEventMessage<?> message =
        new GenericTrackedDomainEventMessage<>(
            new GlobalSequenceTrackingToken(history.size() + 1L),
            new GenericDomainEventMessage<>(
                "Aggregate",
                aggregateId,
                seq,
                payload,
                metaData,
                UUID.randomUUID().toString(),
                clock));
    history.add(message);
    deliver(message);
    return message;
  }

  public void deliver(TrackedEventMessage<?> message) {
    for (AnnotationEventHandlerAdapter p : projections) {
      try {
        if (p.canHandle(message)) {
          p.handle(message);
        }
      } catch (Exception e) {
        throw new IllegalStateException(
            "projection failed on " + message.getPayloadType().getSimpleName(), e);
      }
    }
  }

  /** Calls every projection's reset handler, as a processor reset does before replaying. */
  public void reset() {
    projections.forEach(AnnotationEventHandlerAdapter::prepareReset);
  }

  /** Delivers every event fed so far again, in order. */
  public void replayAll() {
    history.forEach(this::deliver);
  }
}
