// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.ledger.Checkpoint;
import io.ledgerscale.domain.ledger.LedgerEntry;
import io.ledgerscale.domain.ledger.LedgerExport;
import io.ledgerscale.domain.ledger.LedgerHash;
import io.ledgerscale.domain.ledger.MerkleTree;
import io.ledgerscale.domain.ledger.NoteSigner;
import io.ledgerscale.domain.ledger.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit verify} runs with no server: exit 0 on an honest export, 1 naming a bad entry. */
class AuditVerifyCommandTest {
  @TempDir Path dir;

  @Test
  void verifiesOfflineAndNamesTheFirstBadEntry() throws Exception {
    NoteSigner signer = NoteSigner.generate("test.example/audit", new SecureRandom());
    List<String> lines = export(signer, 9);
    Path file = Files.write(dir.resolve("export.jsonl"), lines);
    Path keyFile = Files.writeString(dir.resolve("key.pub"), signer.verifier().keyText() + "\n");

    // no --address anywhere: nothing is reached over the network
    CliCall ok = CliCall.of("audit", "verify", file.toString(), "--key", keyFile.toString());
    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out()).startsWith("OK: 9 entries verified against the signed tree of size 9");

    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(5);
    Path bad = Files.write(dir.resolve("deleted.jsonl"), deleted);
    CliCall refused =
        CliCall.of("audit", "verify", bad.toString(), "--key", signer.verifier().keyText());
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("entry leaf 4 is missing");

    CliCall wrongKey =
        CliCall.of(
            "audit",
            "verify",
            file.toString(),
            "--key",
            NoteSigner.generate("test.example/audit", new SecureRandom()).verifier().keyText());
    assertThat(wrongKey.status()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("not signed by a trusted key");
  }

  static List<String> export(NoteSigner signer, int n) {
    List<StoredEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(
          new StoredEvent(
              i + 1,
              "event-" + i,
              "user-" + i,
              0,
              "User",
              "UserCreatedEvent",
              "1",
              "2026-12-02T09:00:00Z",
              ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
              null));
    }
    MerkleTree tree = new MerkleTree(events.stream().map(StoredEvent::leafHash).toList());
    String note = signer.sign(new Checkpoint(signer.name(), n, tree.root(n)).body());
    List<String> lines = new ArrayList<>();
    lines.add(LedgerExport.header(signer.name(), n, note));
    byte[] prev = LedgerHash.CHAIN_START;
    for (int i = 0; i < n; i++) {
      StoredEvent e = events.get(i);
      byte[] next = LedgerHash.chain(prev, e.leafHash());
      lines.add(
          LedgerExport.jsonl(
              new LedgerEntry(i, e, e.leafHash(), prev, next, n, tree.inclusionProof(i, n), null)));
      prev = next;
    }
    return lines;
  }
}
