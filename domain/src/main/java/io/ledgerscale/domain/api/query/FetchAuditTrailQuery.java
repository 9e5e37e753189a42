// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * A page of the audit trail, newest first, filtered by actor (id or name), target, action (event
 * type) and time range. Answers an {@link AuditPage}.
 */
public record FetchAuditTrailQuery(
    String actor,
    String targetType,
    String targetId,
    String action,
    Instant from,
    Instant to,
    int page,
    int size) {}
