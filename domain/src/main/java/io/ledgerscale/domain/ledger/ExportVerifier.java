// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an export (jsonl or ocsf) offline, with nothing but the trusted keys: every checkpoint's
 * signature, every earlier checkpoint's consistency with the one the entries are proven against,
 * and for each entry in order its leaf hash recomputed from the stored bytes, its chain link, its
 * leaf index following the previous one, and its inclusion proof. The first failure, in file order,
 * is the answer; it names the entry (leaf index, global index, event id and line).
 */
public final class ExportVerifier {
  private static final Base64.Decoder B64 = Base64.getDecoder();

  private final List<NoteVerifier> trusted;
  private final List<String> trustedCheckpoints;
  private final Map<String, Checkpoint> verifiedNotes = new HashMap<>();

  /** What {@code verify} found: {@code failure} is null when everything holds. */
  public record Report(long entries, long treeSize, long checkpoints, String failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  /** Thrown to stop at the first failure; the message is the report. */
  private static final class Bad extends RuntimeException {
    Bad(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param trusted keys whose signatures count
   * @param trustedCheckpoints signed notes the auditor kept earlier (from outside the server): the
   *     export must show the same history extends each of them
   */
  public ExportVerifier(List<NoteVerifier> trusted, List<String> trustedCheckpoints) {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("verify needs at least one trusted key");
    }
    this.trusted = List.copyOf(trusted);
    this.trustedCheckpoints = List.copyOf(trustedCheckpoints);
  }

  public Report verify(BufferedReader in) throws IOException {
    State s = new State();
    try {
      String line;
      while ((line = in.readLine()) != null) {
        s.line++;
        if (line.isBlank()) {
          continue;
        }
        if (line.length() > 16 * 1024 * 1024) {
          throw new Bad("line " + s.line + ": longer than 16 MiB");
        }
        JsonNode o;
        try {
          o = LedgerExport.JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new Bad("line " + s.line + ": not valid JSON (the file was changed or cut)");
        }
        if (o.has("class_uid")) {
          JsonNode ledger = o.path("unmapped").path("ledger");
          if (!ledger.isObject()) {
            throw new Bad("line " + s.line + ": an OCSF event without unmapped.ledger");
          }
          entry(s, ledger, anchor(ledger.path("checkpoint").asText(null), "line " + s.line));
        } else {
          switch (o.path("record").asText("")) {
            case "header" -> header(s, o);
            case "checkpoint" -> s.earlier.add(o);
            case "entry" -> {
              if (s.header == null) {
                throw new Bad("line " + s.line + ": an entry before the export's header");
              }
              entry(s, o, s.header);
            }
            default -> throw new Bad("line " + s.line + ": not a record of an audit export");
          }
        }
      }
      finish(s);
      return new Report(s.entries, s.treeSize, verifiedNotes.size(), null);
    } catch (Bad bad) {
      return new Report(s.entries, s.treeSize, verifiedNotes.size(), bad.getMessage());
    }
  }

  private static final class State {
    long line;
    long entries;
    long treeSize = -1;
    Checkpoint header;
    final List<JsonNode> earlier = new ArrayList<>();
    Long previousLeaf;
    byte[] previousEntryHash;
    Long firstLeaf;
    final List<byte[]> leaves = new ArrayList<>();
    final Set<Long> globalIndexes = new HashSet<>();
    final Set<String> eventIds = new HashSet<>();
  }

  private void header(State s, JsonNode o) {
    if (s.header != null) {
      throw new Bad("line " + s.line + ": a second header");
    }
    if (!LedgerExport.FORMAT.equals(o.path("format").asText())) {
      throw new Bad("line " + s.line + ": not a " + LedgerExport.FORMAT + " export");
    }
    s.header = anchor(o.path("checkpoint").asText(null), "the export's header");
    if (!s.header.origin().equals(o.path("origin").asText())) {
      throw new Bad(
          "the export's header names origin "
              + o.path("origin").asText()
              + " but its checkpoint is for "
              + s.header.origin());
    }
    if (o.path("tree_size").asLong(-1) != s.header.size()) {
      throw new Bad(
          "the export's header names tree size "
              + o.path("tree_size").asText()
              + " but its checkpoint says "
              + s.header.size());
    }
  }

  /** A checkpoint note, signed by a trusted key, parsed; each distinct note is checked once. */
  private Checkpoint anchor(String note, String where) {
    if (note == null) {
      throw new Bad(where + ": no checkpoint");
    }
    Checkpoint known = verifiedNotes.get(note);
    if (known != null) {
      return known;
    }
    SignedNote signed;
    Checkpoint checkpoint;
    try {
      signed = SignedNote.parse(note);
      checkpoint = Checkpoint.parse(signed.text());
    } catch (IllegalArgumentException e) {
      throw new Bad(where + ": the checkpoint is malformed: " + e.getMessage());
    }
    if (signed.signedBy(trusted).isEmpty()) {
      throw new Bad(
          where
              + ": the checkpoint of tree size "
              + checkpoint.size()
              + " is not signed by a trusted key (signed by: "
              + signed.signatures().stream()
                  .map(SignedNote.Signature::name)
                  .distinct()
                  .collect(Collectors.joining(", "))
              + ")");
    }
    verifiedNotes.put(note, checkpoint);
    return checkpoint;
  }

  private void entry(State s, JsonNode o, Checkpoint anchor) {
    long leaf = o.path("leaf_index").asLong(-1);
    StoredEvent event;
    try {
      event =
          new StoredEvent(
              number(o, "global_index"),
              text(o, "event_id"),
              text(o, "aggregate_id"),
              number(o, "sequence_number"),
              text(o, "aggregate_type"),
              text(o, "payload_type"),
              text(o, "payload_revision"),
              text(o, "timestamp"),
              bytes(o, "payload"),
              bytes(o, "metadata"));
    } catch (IllegalArgumentException e) {
      throw new Bad("entry at line " + s.line + " (leaf " + leaf + "): " + e.getMessage());
    }
    String name =
        "entry leaf "
            + leaf
            + " (global index "
            + event.globalIndex()
            + ", event "
            + event.eventId()
            + ", line "
            + s.line
            + ")";
    if (s.treeSize < 0) {
      s.treeSize = anchor.size();
    } else if (s.treeSize != anchor.size()) {
      throw new Bad(
          name
              + ": proven against tree size "
              + anchor.size()
              + ", earlier entries against "
              + s.treeSize);
    }
    if (o.path("tree_size").asLong(-1) != anchor.size()) {
      throw new Bad(name + ": its proof is for another tree size than its checkpoint");
    }
    if (leaf < 0 || leaf >= anchor.size()) {
      throw new Bad(name + ": leaf index outside the signed tree of size " + anchor.size());
    }
    if (s.previousLeaf != null && leaf != s.previousLeaf + 1) {
      throw new Bad(
          leaf > s.previousLeaf + 1
              ? "entry leaf "
                  + (s.previousLeaf + 1)
                  + " is missing: after leaf "
                  + s.previousLeaf
                  + " comes "
                  + name
              : name + " is out of order or repeated: expected leaf " + (s.previousLeaf + 1));
    }
    if (!s.globalIndexes.add(event.globalIndex()) || !s.eventIds.add(event.eventId())) {
      throw new Bad(name + ": its global index or event id appears twice");
    }
    byte[] leafHash = event.leafHash();
    if (!MessageDigest.isEqual(leafHash, bytes(o, "leaf_hash"))) {
      throw new Bad(
          name + ": its stored bytes do not hash to its leaf hash (the entry was altered)");
    }
    byte[] prev = bytes(o, "prev_hash");
    if (s.previousEntryHash != null && !MessageDigest.isEqual(prev, s.previousEntryHash)) {
      throw new Bad(name + ": its chain does not continue the previous entry's");
    }
    if (leaf == 0 && !MessageDigest.isEqual(prev, LedgerHash.CHAIN_START)) {
      throw new Bad(name + ": the first leaf's chain does not start from zero");
    }
    byte[] entryHash = LedgerHash.chain(prev, leafHash);
    if (!MessageDigest.isEqual(entryHash, bytes(o, "entry_hash"))) {
      throw new Bad(name + ": its chain value is wrong");
    }
    List<byte[]> proof = new ArrayList<>();
    o.path("inclusion_proof").forEach(h -> proof.add(decode(h.asText(""))));
    if (!MerkleProofs.inclusion(leafHash, leaf, anchor.size(), proof, anchor.root())) {
      throw new Bad(
          name
              + ": not in the signed tree of size "
              + anchor.size()
              + " (its inclusion proof fails)");
    }
    if (s.firstLeaf == null) {
      s.firstLeaf = leaf;
    }
    s.leaves.add(leafHash);
    s.previousLeaf = leaf;
    s.previousEntryHash = entryHash;
    s.entries++;
  }

  private void finish(State s) {
    if (s.header == null && s.entries == 0) {
      throw new Bad("the file holds no audit export");
    }
    Checkpoint top = s.header != null ? s.header : verifiedNotes.values().iterator().next();
    for (JsonNode o : s.earlier) {
      Checkpoint c = anchor(o.path("note").asText(null), "an earlier checkpoint");
      List<byte[]> proof = new ArrayList<>();
      o.path("consistency_proof").forEach(h -> proof.add(decode(h.asText(""))));
      if (c.size() > top.size()
          || !MerkleProofs.consistency(c.size(), c.root(), top.size(), top.root(), proof)) {
        throw new Bad(
            "the checkpoint of tree size "
                + c.size()
                + " is not consistent with the one of size "
                + top.size()
                + " (history was rewritten)");
      }
    }
    boolean whole = s.firstLeaf != null && s.firstLeaf == 0 && s.leaves.size() == top.size();
    MerkleTree tree = whole ? new MerkleTree(s.leaves) : null;
    if (whole && !MessageDigest.isEqual(tree.root(top.size()), top.root())) {
      throw new Bad("the entries do not make the signed root of size " + top.size());
    }
    List<Checkpoint> shownByExport = List.copyOf(verifiedNotes.values());
    for (String note : trustedCheckpoints) {
      Checkpoint mine = anchor(note, "your trusted checkpoint");
      boolean shown =
          shownByExport.stream()
              .anyMatch(
                  c -> c.size() == mine.size() && MessageDigest.isEqual(c.root(), mine.root()));
      if (!shown && whole && mine.size() <= top.size()) {
        shown = MessageDigest.isEqual(tree.root(mine.size()), mine.root());
      }
      if (!shown) {
        throw new Bad(
            "your trusted checkpoint of tree size "
                + mine.size()
                + " is not part of this export's history (a fork, or an export that does not cover it)");
      }
    }
  }

  private static long number(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.canConvertToLong()) {
      throw new IllegalArgumentException("no " + field);
    }
    return n.asLong();
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static byte[] bytes(JsonNode o, String field) {
    String t = text(o, field);
    return t == null ? null : decode(t);
  }

  /**
   * Strict base64: the text must be the one canonical encoding of its bytes, so no bit of the file
   * can change while the bytes it stands for stay the same.
   */
  private static byte[] decode(String b64) {
    byte[] bytes;
    try {
      bytes = B64.decode(b64);
    } catch (IllegalArgumentException e) {
      throw new Bad("a hash or payload is not base64: " + b64);
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(b64)) {
      throw new Bad("a hash or payload is not canonical base64: " + b64);
    }
    return bytes;
  }
}
