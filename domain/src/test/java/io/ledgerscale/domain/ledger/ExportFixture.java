// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds exports the way the server does, so tests can mutate them. */
final class ExportFixture {
  static final String ORIGIN = "ledgerscale.test/audit";

  private ExportFixture() {}

  static List<StoredEvent> events(int n) {
    List<StoredEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(
          new StoredEvent(
              i + 1 + (i > 3 ? 1 : 0), // a gap in the global index after the fourth event
              "event-" + i,
              "user-" + (i % 3),
              i / 3,
              "User",
              "io.ledgerscale.domain.api.user.UserCreatedEvent",
              i % 2 == 0 ? "1" : null,
              "2026-12-02T09:00:0" + (i % 10) + "Z",
              ("{\"name\":\"user" + i + "\"}").getBytes(StandardCharsets.UTF_8),
              i == 1 ? null : ("{\"actorId\":\"a" + i + "\"}").getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }

  /** A jsonl export of every event, proven against a checkpoint of all of them. */
  static List<String> jsonl(List<StoredEvent> events, NoteSigner signer, int... earlierSizes) {
    List<byte[]> leaves = events.stream().map(StoredEvent::leafHash).toList();
    MerkleTree tree = new MerkleTree(leaves);
    long size = leaves.size();
    String note = checkpoint(signer, tree, size);
    List<String> lines = new ArrayList<>();
    lines.add(LedgerExport.header(ORIGIN, size, note));
    for (int earlier : earlierSizes) {
      lines.add(
          LedgerExport.checkpoint(
              checkpoint(signer, tree, earlier), tree.consistencyProof(earlier, size)));
    }
    entries(events, tree, size).forEach(e -> lines.add(LedgerExport.jsonl(e)));
    return lines;
  }

  static List<String> ocsf(List<StoredEvent> events, NoteSigner signer) {
    List<byte[]> leaves = events.stream().map(StoredEvent::leafHash).toList();
    MerkleTree tree = new MerkleTree(leaves);
    String note = checkpoint(signer, tree, leaves.size());
    return entries(events, tree, leaves.size()).stream()
        .map(e -> LedgerExport.ocsf(e, note))
        .toList();
  }

  static String checkpoint(NoteSigner signer, MerkleTree tree, long size) {
    return signer.sign(new Checkpoint(ORIGIN, size, tree.root(size)).body());
  }

  static List<LedgerEntry> entries(List<StoredEvent> events, MerkleTree tree, long size) {
    List<LedgerEntry> out = new ArrayList<>();
    byte[] prev = LedgerHash.CHAIN_START;
    for (int i = 0; i < events.size(); i++) {
      StoredEvent e = events.get(i);
      byte[] entryHash = LedgerHash.chain(prev, e.leafHash());
      out.add(
          new LedgerEntry(
              i,
              e,
              e.leafHash(),
              prev,
              entryHash,
              size,
              tree.inclusionProof(i, size),
              new LedgerEntry.Readable(
                  "UserCreatedEvent",
                  "created user user" + i,
                  "API_KEY",
                  "abc",
                  "admin",
                  "ADMIN_API",
                  "127.0.0.1",
                  "corr-" + i,
                  "user",
                  Integer.toString(i))));
      prev = entryHash;
    }
    return out;
  }
}
