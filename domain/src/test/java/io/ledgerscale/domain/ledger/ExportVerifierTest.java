// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mutations an attacker with the database or the file would try, each caught and named (the
 * immudb lesson: a verifier is only as good as its adversarial tests).
 */
class ExportVerifierTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();
  final NoteSigner server = NoteSigner.generate(ExportFixture.ORIGIN, RANDOM);
  final NoteSigner attacker = NoteSigner.generate(ExportFixture.ORIGIN, RANDOM);
  final List<StoredEvent> events = ExportFixture.events(12);

  ExportVerifier.Report verify(List<String> lines, String... trustedCheckpoints) throws Exception {
    return new ExportVerifier(List.of(server.verifier()), List.of(trustedCheckpoints))
        .verify(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")));
  }

  @Test
  void anHonestExportVerifiesInBothFormats() throws Exception {
    ExportVerifier.Report jsonl = verify(ExportFixture.jsonl(events, server, 1, 5, 8, 12));
    assertThat(jsonl.failure()).isNull();
    assertThat(jsonl.entries()).isEqualTo(12);
    assertThat(jsonl.treeSize()).isEqualTo(12);
    ExportVerifier.Report ocsf = verify(ExportFixture.ocsf(events, server));
    assertThat(ocsf.failure()).isNull();
    assertThat(ocsf.entries()).isEqualTo(12);
    // a slice of the log verifies on its own: its proofs tie it to the signed root
    List<String> slice = new ArrayList<>(ExportFixture.jsonl(events, server));
    List<String> part = new ArrayList<>(slice.subList(0, 1));
    part.addAll(slice.subList(4, 9));
    assertThat(verify(part).failure()).isNull();
  }

  @Test
  void aFlippedByteInAPayloadIsNamed() throws Exception {
    List<String> lines = new ArrayList<>(ExportFixture.jsonl(events, server));
    ObjectNode entry = (ObjectNode) JSON.readTree(lines.get(6));
    byte[] payload = Base64.getDecoder().decode(entry.get("payload").asText());
    payload[3] ^= 0x01;
    entry.put("payload", Base64.getEncoder().encodeToString(payload));
    lines.set(6, entry.toString());
    assertThat(verify(lines).failure())
        .startsWith("entry leaf 5 (global index 7, event event-5, line 7)")
        .contains("altered");
    // the attacker also fixes the leaf hash and the chain: the signed tree still refuses it
    entry.put("leaf_hash", b64(eventOf(entry).leafHash()));
    entry.put(
        "entry_hash",
        b64(LedgerHash.chain(b64(entry.get("prev_hash").asText()), eventOf(entry).leafHash())));
    lines.set(6, entry.toString());
    assertThat(verify(lines).failure())
        .startsWith("entry leaf 5 (global index 7")
        .contains("not in the signed tree of size 12");
  }

  @Test
  void aFlippedByteAnywhereInTheFileFails() throws Exception {
    String text = String.join("\n", ExportFixture.jsonl(events, server)) + "\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 97) {
      byte[] copy = bytes.clone();
      copy[i] ^= 0x04;
      String mutated = new String(copy, StandardCharsets.UTF_8);
      ExportVerifier.Report report =
          new ExportVerifier(List.of(server.verifier()), List.of())
              .verify(new BufferedReader(new StringReader(mutated)));
      // flips in what no hash covers (the readable summary, the actor) are the only ones allowed
      if (report.ok()) {
        assertThat(readableOnly(text, mutated))
            .as("byte %d: %s", i, mutated.substring(Math.max(0, i - 40), i + 10))
            .isTrue();
      }
    }
  }

  @Test
  void aDeletedEntryIsNamed() throws Exception {
    List<String> lines = new ArrayList<>(ExportFixture.jsonl(events, server));
    lines.remove(4); // leaf 3
    assertThat(verify(lines).failure())
        .startsWith("entry leaf 3 is missing: after leaf 2 comes entry leaf 4");
  }

  @Test
  void twoSwappedEntriesAreNamed() throws Exception {
    List<String> lines = new ArrayList<>(ExportFixture.jsonl(events, server));
    String third = lines.get(3);
    lines.set(3, lines.get(8));
    lines.set(8, third);
    assertThat(verify(lines).failure())
        .startsWith("entry leaf 2 is missing: after leaf 1 comes entry leaf 7");
    // swapped with their leaf indexes renumbered: the stored global index no longer matches
    lines = new ArrayList<>(ExportFixture.jsonl(events, server));
    ObjectNode a = (ObjectNode) JSON.readTree(lines.get(3));
    ObjectNode b = (ObjectNode) JSON.readTree(lines.get(4));
    a.put("leaf_index", 3);
    b.put("leaf_index", 2);
    lines.set(3, b.toString());
    lines.set(4, a.toString());
    assertThat(verify(lines).failure())
        .startsWith("entry leaf 2 (global index 4, event event-3, line 4)");
  }

  @Test
  void aTruncatedLogResignedWithAnotherKeyIsRefused() throws Exception {
    List<String> forged = ExportFixture.jsonl(events.subList(0, 7), attacker);
    assertThat(verify(forged).failure())
        .isEqualTo(
            "the export's header: the checkpoint of tree size 7 is not signed by a trusted key"
                + " (signed by: ledgerscale.test/audit)");
    // and the auditor who kept the checkpoint of size 10 sees the truncation even with the real key
    List<byte[]> leaves = events.stream().map(StoredEvent::leafHash).toList();
    String kept = ExportFixture.checkpoint(server, new MerkleTree(leaves), 10);
    List<String> truncated = ExportFixture.jsonl(events.subList(0, 7), server);
    assertThat(verify(truncated, kept).failure())
        .startsWith("your trusted checkpoint of tree size 10 is not part of this export's history");
    assertThat(verify(ExportFixture.jsonl(events, server), kept).failure()).isNull();
  }

  @Test
  void aForgedEntryIsNamed() throws Exception {
    List<StoredEvent> withForgery = new ArrayList<>(events);
    withForgery.add(
        5,
        new StoredEvent(
            1000,
            "forged",
            "user-9",
            0,
            "User",
            "io.ledgerscale.domain.api.user.UserCreatedEvent",
            "1",
            "2026-12-02T09:00:05Z",
            "{}".getBytes(StandardCharsets.UTF_8),
            null));
    // the forger builds a consistent-looking export over the new list but cannot sign its root
    List<String> forged = ExportFixture.jsonl(withForgery, server);
    List<String> honestHeader = ExportFixture.jsonl(events, server);
    forged.set(0, honestHeader.get(0));
    assertThat(verify(forged).failure())
        .startsWith("entry leaf 0 (global index 1, event event-0, line 2)")
        .contains("its proof is for another tree size");
    // with every proof taken over the honest tree, the first entry that differs is the forgery
    List<String> spliced = new ArrayList<>(ExportFixture.jsonl(events, server));
    ObjectNode forgedEntry =
        (ObjectNode) JSON.readTree(ExportFixture.jsonl(withForgery, server).get(6));
    forgedEntry.put("tree_size", 12);
    spliced.add(6, forgedEntry.toString());
    assertThat(verify(spliced).failure())
        .startsWith("entry leaf 5 (global index 1000, event forged, line 7)")
        .contains("not in the signed tree of size 12");
  }

  @Test
  void anInconsistentEarlierCheckpointIsRefused() throws Exception {
    List<String> lines = new ArrayList<>(ExportFixture.jsonl(events, server, 6));
    List<StoredEvent> rewritten = new ArrayList<>(events);
    rewritten.set(2, events.get(3));
    MerkleTree other = new MerkleTree(rewritten.stream().map(StoredEvent::leafHash).toList());
    lines.set(
        1,
        LedgerExport.checkpoint(
            ExportFixture.checkpoint(server, other, 6),
            new MerkleTree(events.stream().map(StoredEvent::leafHash).toList())
                .consistencyProof(6, 12)));
    assertThat(verify(lines).failure())
        .isEqualTo(
            "the checkpoint of tree size 6 is not consistent with the one of size 12 (history was"
                + " rewritten)");
  }

  private static final List<String> COVERED =
      List.of(
          "record",
          "format",
          "origin",
          "tree_size",
          "checkpoint",
          "note",
          "consistency_proof",
          "leaf_index",
          "global_index",
          "event_id",
          "aggregate_id",
          "sequence_number",
          "aggregate_type",
          "payload_type",
          "payload_revision",
          "timestamp",
          "payload",
          "metadata",
          "leaf_hash",
          "prev_hash",
          "entry_hash",
          "inclusion_proof");

  /** Whether the mutation touched only what the hashes do not cover (the readable fields). */
  private static boolean readableOnly(String original, String mutated) throws Exception {
    String[] a = original.split("\n");
    String[] b = mutated.split("\n", -1);
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i])) {
        ObjectNode x = (ObjectNode) JSON.readTree(a[i]);
        ObjectNode y = (ObjectNode) JSON.readTree(b[i]);
        List<String> covered = new ArrayList<>(COVERED);
        if (x.path("record").asText().equals("entry")) {
          covered.remove("origin"); // an entry's origin is the readable channel, not the log's
        }
        x.retain(covered);
        y.retain(covered);
        return x.equals(y);
      }
    }
    return true;
  }

  private static StoredEvent eventOf(ObjectNode o) {
    return new StoredEvent(
        o.get("global_index").asLong(),
        o.get("event_id").asText(),
        o.get("aggregate_id").asText(),
        o.get("sequence_number").asLong(),
        o.get("aggregate_type").asText(),
        o.get("payload_type").asText(),
        o.get("payload_revision").isNull() ? null : o.get("payload_revision").asText(),
        o.get("timestamp").asText(),
        b64(o.get("payload").asText()),
        o.get("metadata").isNull() ? null : b64(o.get("metadata").asText()));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] b64(String s) {
    return Base64.getDecoder().decode(s);
  }
}
