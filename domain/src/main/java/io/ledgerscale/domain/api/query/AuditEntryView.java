// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.Map;

/**
 * One audit record per event: who, through what, from where, what changed (old and new values),
 * when.
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
    String summary) {}
