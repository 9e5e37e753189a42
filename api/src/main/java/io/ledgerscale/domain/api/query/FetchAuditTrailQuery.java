// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * A page of the audit trail, newest first, filtered by actor (id or name), target, action (event
 * type) and time range. Answers an {@link AuditPage}. Bookkeeping entries (the server's own index
 * events) are left out unless {@code includeBookkeeping}.
 */
public record FetchAuditTrailQuery(
    String actor,
    String targetType,
    String targetId,
    String action,
    Instant from,
    Instant to,
    int page,
    int size,
    boolean includeBookkeeping) {

  /** The default listing: without bookkeeping entries. */
  public FetchAuditTrailQuery(
      String actor,
      String targetType,
      String targetId,
      String action,
      Instant from,
      Instant to,
      int page,
      int size) {
    this(actor, targetType, targetId, action, from, to, page, size, false);
  }
}
