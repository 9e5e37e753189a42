// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * This server's latest signed checkpoint of the audit ledger; with {@code signNow}, the ledger is
 * caught up and signed first. Answers an {@link AuditCheckpointView}.
 */
public record AuditCheckpointQuery(boolean signNow) {}
