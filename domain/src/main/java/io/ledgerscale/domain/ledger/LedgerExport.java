// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Writes an export, one JSON object per line. {@code jsonl}: a header with the checkpoint every
 * entry is proven against, earlier checkpoints with their consistency proofs to it, then the
 * entries. {@code ocsf}: one OCSF 1.1 event per entry (API Activity 6003, Account Change 3001, User
 * Access Management 3005) with the ledger fields and the checkpoint under {@code unmapped.ledger},
 * so every line can be checked on its own. {@link ExportVerifier} reads both.
 */
public final class LedgerExport {
  public static final String FORMAT = "ledgerscale-audit-export/1";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private LedgerExport() {}

  public static String header(String origin, long treeSize, String checkpointNote) {
    ObjectNode o = JSON.createObjectNode();
    o.put("record", "header");
    o.put("format", FORMAT);
    o.put("origin", origin);
    o.put("tree_size", treeSize);
    o.put("checkpoint", checkpointNote);
    return o.toString();
  }

  /** An earlier checkpoint and the proof that the exported tree extends it. */
  public static String checkpoint(String note, List<byte[]> consistencyProof) {
    ObjectNode o = JSON.createObjectNode();
    o.put("record", "checkpoint");
    o.put("note", note);
    ArrayNode proof = o.putArray("consistency_proof");
    consistencyProof.forEach(h -> proof.add(B64.encodeToString(h)));
    return o.toString();
  }

  public static String jsonl(LedgerEntry entry) {
    ObjectNode o = JSON.createObjectNode();
    o.put("record", "entry");
    o.setAll(ledger(entry));
    LedgerEntry.Readable r = entry.readable();
    if (r != null) {
      o.put("action", r.action());
      o.put("summary", r.summary());
      ObjectNode actor = o.putObject("actor");
      actor.put("type", r.actorType());
      actor.put("id", r.actorId());
      actor.put("name", r.actorName());
      o.put("origin", r.origin());
      o.put("source_ip", r.sourceIp());
      o.put("correlation_id", r.correlationId());
      ObjectNode target = o.putObject("target");
      target.put("type", r.targetType());
      target.put("id", r.targetId());
    }
    return o.toString();
  }

  public static String ocsf(LedgerEntry entry, String checkpointNote) {
    StoredEvent e = entry.event();
    LedgerEntry.Readable r =
        entry.readable() == null
            ? new LedgerEntry.Readable(null, null, null, null, null, null, null, null, null, null)
            : entry.readable();
    String action = r.action() == null ? simpleName(e.payloadType()) : r.action();
    OcsfClass ocsf = OcsfClass.of(action, r.targetType());
    ObjectNode o = JSON.createObjectNode();
    o.put("category_uid", ocsf.category);
    o.put("class_uid", ocsf.classUid);
    o.put("activity_id", ocsf.activity);
    o.put("type_uid", ocsf.classUid * 100L + ocsf.activity);
    o.put("severity_id", 1);
    o.put("time", millis(e.timestamp()));
    boolean refused = action.toLowerCase(Locale.ROOT).contains("refused");
    o.put("status_id", refused ? 2 : 1);
    o.put("status", refused ? "Failure" : "Success");
    if (r.summary() != null) {
      o.put("message", r.summary());
    }
    ObjectNode metadata = o.putObject("metadata");
    metadata.put("version", "1.1.0");
    metadata.put("uid", e.eventId());
    if (r.correlationId() != null) {
      metadata.put("correlation_uid", r.correlationId());
    }
    metadata.put("sequence", e.globalIndex());
    ObjectNode product = metadata.putObject("product");
    product.put("name", "Ledgerscale");
    product.put("vendor_name", "Ledgerscale");
    ObjectNode actor = o.putObject("actor");
    ObjectNode user = actor.putObject("user");
    user.put("uid", r.actorId());
    user.put("name", r.actorName());
    user.put("type", r.actorType());
    if (r.sourceIp() != null) {
      o.putObject("src_endpoint").put("ip", r.sourceIp());
    }
    ObjectNode api = o.putObject("api");
    api.put("operation", action);
    if (r.origin() != null) {
      api.putObject("service").put("name", r.origin());
    }
    if (ocsf.classUid != OcsfClass.API_ACTIVITY) {
      ObjectNode target = o.putObject("user");
      target.put("uid", r.targetId());
      target.put("type", r.targetType());
    }
    ObjectNode resource = o.putArray("resources").addObject();
    resource.put("type", r.targetType());
    resource.put("uid", r.targetId());
    ObjectNode ledger = ledger(entry);
    ledger.put("checkpoint", checkpointNote);
    o.putObject("unmapped").set("ledger", ledger);
    return o.toString();
  }

  private static ObjectNode ledger(LedgerEntry entry) {
    StoredEvent e = entry.event();
    ObjectNode o = JSON.createObjectNode();
    o.put("leaf_index", entry.leafIndex());
    o.put("global_index", e.globalIndex());
    o.put("event_id", e.eventId());
    o.put("aggregate_id", e.aggregateId());
    o.put("sequence_number", e.sequenceNumber());
    o.put("aggregate_type", e.aggregateType());
    o.put("payload_type", e.payloadType());
    o.put("payload_revision", e.payloadRevision());
    o.put("timestamp", e.timestamp());
    o.put("payload", e.payload() == null ? null : B64.encodeToString(e.payload()));
    o.put("metadata", e.metadata() == null ? null : B64.encodeToString(e.metadata()));
    o.put("leaf_hash", B64.encodeToString(entry.leafHash()));
    o.put("prev_hash", B64.encodeToString(entry.prevHash()));
    o.put("entry_hash", B64.encodeToString(entry.entryHash()));
    o.put("tree_size", entry.treeSize());
    ArrayNode proof = o.putArray("inclusion_proof");
    entry.inclusionProof().forEach(h -> proof.add(B64.encodeToString(h)));
    return o;
  }

  private static long millis(String timestamp) {
    try {
      return Instant.parse(timestamp).toEpochMilli();
    } catch (DateTimeParseException | NullPointerException e) {
      return 0;
    }
  }

  private static String simpleName(String type) {
    return type == null ? "" : type.substring(type.lastIndexOf('.') + 1);
  }

  /** Which OCSF class and activity an action is (type_uid = class_uid * 100 + activity_id). */
  record OcsfClass(int category, int classUid, int activity) {
    static final int API_ACTIVITY = 6003;

    static OcsfClass of(String action, String targetType) {
      String a = action.toLowerCase(Locale.ROOT);
      String t = targetType == null ? "" : targetType.toLowerCase(Locale.ROOT);
      if (a.contains("refused")) {
        return new OcsfClass(6, API_ACTIVITY, 99);
      }
      if (a.contains("tag") || a.contains("owner")) {
        // tags and ownership decide what a node may reach: privileges assigned
        return new OcsfClass(3, 3005, 1);
      }
      if (t.equals("user") || t.equals("apikey") || t.equals("preauthkey")) {
        int activity =
            a.contains("created")
                ? 1
                : a.contains("deleted") || a.contains("removed")
                    ? 6
                    : a.contains("expired") || a.contains("revoked") ? 5 : 99;
        return new OcsfClass(3, 3001, activity);
      }
      int activity =
          a.contains("created") || a.contains("registered")
              ? 1
              : a.contains("deleted") || a.contains("removed") ? 4 : 3;
      return new OcsfClass(6, API_ACTIVITY, activity);
    }
  }
}
