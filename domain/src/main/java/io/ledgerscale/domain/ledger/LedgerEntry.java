// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.util.List;

/**
 * One exported entry: the stored event, its place in the ledger (leaf index, the leaf hash the
 * ledger recorded when it appended the event, chain values) and its inclusion proof in the tree of
 * {@code treeSize} leaves, plus what an auditor reads (not covered by the hashes: it is derived
 * from the stored bytes, which are).
 */
public record LedgerEntry(
    long leafIndex,
    StoredEvent event,
    byte[] leafHash,
    byte[] prevHash,
    byte[] entryHash,
    long treeSize,
    List<byte[]> inclusionProof,
    Readable readable) {

  /** The audit trail's view of the event, for people and SIEMs; any field may be null. */
  public record Readable(
      String action,
      String summary,
      String actorType,
      String actorId,
      String actorName,
      String origin,
      String sourceIp,
      String correlationId,
      String targetType,
      String targetId) {}
}
