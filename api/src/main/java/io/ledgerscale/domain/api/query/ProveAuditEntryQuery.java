// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The inclusion proof of one event (by event id or global index) as a one-entry export that {@code
 * audit verify} checks. Answers an {@link AuditLedgerPage}, or null when no such event is in the
 * ledger.
 */
public record ProveAuditEntryQuery(String id) {}
