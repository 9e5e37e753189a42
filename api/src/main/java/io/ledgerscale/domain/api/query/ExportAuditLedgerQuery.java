// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * One page of a provable audit export: the entries of the ledger whose events happened in [from,
 * to) (a contiguous run of leaves), after leaf {@code afterLeaf} (-1: the first page, which also
 * carries the header), proven against the checkpoint of {@code treeSize} (0: sign one of the ledger
 * as it is now). {@code format} is jsonl or ocsf. Answers an {@link AuditLedgerPage}, or null when
 * there is no checkpoint of {@code treeSize}.
 */
public record ExportAuditLedgerQuery(
    Instant from, Instant to, String format, long afterLeaf, long treeSize, int limit) {
  public static final int MAX_LIMIT = 1000;
}
