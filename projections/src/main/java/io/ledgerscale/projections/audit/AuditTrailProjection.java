// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.projections.support.Json;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Revision;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit trail: one row for every event in the store, whatever its type, keyed by the store's
 * global index. Who and through what come from the metadata the command carried (see {@link
 * AuditMetadata}); what changed comes from {@link AuditDescriber}. Rows are written with ON
 * CONFLICT DO NOTHING, so a redelivered or replayed event cannot produce a second row.
 */
@Component
@ProcessingGroup("audit-trail")
public class AuditTrailProjection {
  /** Written by our correlation data provider: the id of the message that caused this one. */
  static final String CAUSATION_ID = "causationId";

  private final JdbcTemplate jdbc;
  private final RepeatFolding folding;

  public AuditTrailProjection(JdbcTemplate jdbc) {
    this(jdbc, RepeatFolding.DEFAULT);
  }

  @Autowired
  public AuditTrailProjection(JdbcTemplate jdbc, Optional<RepeatFolding> folding) {
    this(jdbc, folding.orElse(RepeatFolding.DEFAULT));
  }

  public AuditTrailProjection(JdbcTemplate jdbc, RepeatFolding folding) {
    this.jdbc = jdbc;
    this.folding = folding;
  }

  @EventHandler
  public void on(Object payload, EventMessage<?> event, TrackingToken token) {
    long globalIndex = globalIndexOf(event, token);
    String aggregateId = null;
    Long sequence = null;
    if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getType() != null) {
      aggregateId = domainEvent.getAggregateIdentifier();
      sequence = domainEvent.getSequenceNumber();
    }
    AuditDescription d = AuditDescriber.describe(payload, aggregateId);
    MetaData m = event.getMetaData();
    String foldKey = folding.enabled() ? RepeatFolding.key(payload, m) : null;
    if (foldKey != null) {
      if (foldInto(foldKey, globalIndex, event.getTimestamp())) {
        return;
      }
    }
    Revision revision = payload.getClass().getAnnotation(Revision.class);
    jdbc.update(
        "INSERT INTO audit_entry (global_index, event_id, occurred_at, action, revision, aggregate_id,"
            + " sequence_number, actor_type, actor_id, actor_name, origin, source_ip, correlation_id, causation_id,"
            + " target_type, target_id, old_values, new_values, summary, fold_key, bookkeeping)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING",
        globalIndex,
        event.getIdentifier(),
        ts(event.getTimestamp()),
        payload.getClass().getSimpleName(),
        revision == null ? null : revision.value(),
        aggregateId,
        sequence,
        text(m, AuditMetadata.ACTOR_TYPE),
        text(m, AuditMetadata.ACTOR_ID),
        text(m, AuditMetadata.ACTOR_NAME),
        text(m, AuditMetadata.ORIGIN),
        text(m, AuditMetadata.SOURCE_IP),
        text(m, AuditMetadata.CORRELATION_ID),
        text(m, CAUSATION_ID),
        d.targetType(),
        d.targetId(),
        Json.write(d.oldValues()),
        Json.write(d.newValues()),
        d.summary(),
        foldKey,
        Bookkeeping.is(payload));
  }

  /**
   * Counts a repeat on the newest entry of the same client's identical event, when that entry began
   * within the window and has room; false when it must get a row of its own. The folded event's
   * global index is kept on the entry, so a redelivery is not counted twice and every event of the
   * store can still be found from the trail.
   */
  private boolean foldInto(String foldKey, long globalIndex, Instant at) {
    if (alreadyRecorded(foldKey, globalIndex)) {
      return true;
    }
    return jdbc.update(
            "UPDATE audit_entry SET repeat_count = repeat_count + 1,"
                + " last_occurred_at = GREATEST(COALESCE(last_occurred_at, occurred_at), ?),"
                + " folded_indexes = folded_indexes || to_jsonb(?::bigint)"
                + " WHERE global_index = (SELECT max(global_index) FROM audit_entry WHERE fold_key = ?"
                + "   AND global_index < ?)"
                + " AND fold_key = ? AND occurred_at > ? AND repeat_count < ?"
                + " AND NOT folded_indexes @> to_jsonb(?::bigint)",
            ts(at),
            globalIndex,
            foldKey,
            globalIndex,
            foldKey,
            ts(at.minus(folding.window())),
            folding.maxPerEntry(),
            globalIndex)
        > 0;
  }

  /** A redelivered refusal: it has its own entry, or an entry counts it already. */
  private boolean alreadyRecorded(String foldKey, long globalIndex) {
    Boolean folded =
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM audit_entry WHERE global_index = ?)"
                + " OR EXISTS (SELECT 1 FROM audit_entry WHERE fold_key = ?"
                + " AND folded_indexes @> to_jsonb(?::bigint))",
            Boolean.class,
            globalIndex,
            foldKey,
            globalIndex);
    return Boolean.TRUE.equals(folded);
  }

  /**
   * The event's own place in the store. The tracking token is not it: when a transaction that began
   * earlier commits after a later one, its event fills a gap, and the gap-aware token then reports
   * the highest index seen, which already belongs to another event's row. So the store is asked;
   * the token serves only for events that never went through the JDBC store.
   */
  private long globalIndexOf(EventMessage<?> event, TrackingToken token) {
    Long stored =
        jdbc.query(
            "SELECT globalindex FROM domainevententry WHERE eventidentifier = ?",
            rs -> rs.next() ? rs.getLong(1) : null,
            event.getIdentifier());
    if (stored != null) {
      return stored;
    }
    long position = token == null ? -1 : token.position().orElse(-1);
    if (position < 0) {
      throw new IllegalStateException(
          "audit trail needs the event's global index; got token " + token);
    }
    return position;
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM audit_entry");
  }

  private static String text(MetaData metaData, String key) {
    Object value = metaData.get(key);
    return value == null ? null : value.toString();
  }
}
