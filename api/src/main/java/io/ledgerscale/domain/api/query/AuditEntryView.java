// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audit record per event: who, through what, from where, what changed (old and new values),
 * when. A client's repeated identical refusals are one record: {@code count} of them, the first at
 * {@code timestamp}, the last at {@code lastTimestamp}, their store positions in {@code
 * foldedIndexes} (the first is {@code globalIndex}). {@code bookkeeping} marks the server's own
 * index events.
 */
public record AuditEntryView(
    long globalIndex,
    String eventId,
    Instant timestamp,
    String action,
    String actorType,
    String actorId,
    String actorName,
    String origin,
    String sourceIp,
    String correlationId,
    String targetType,
    String targetId,
    Map<String, Object> oldValues,
    Map<String, Object> newValues,
    String summary,
    int count,
    Instant lastTimestamp,
    List<Long> foldedIndexes,
    boolean bookkeeping) {}
