// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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

  /**
   * One OCSF 1.1.0 event. Each class carries only the attributes its schema defines (what it does
   * not, such as the source address of a privileges change, goes under {@code unmapped}), no
   * attribute is null, and every object names at least what its schema requires.
   */
  public static String ocsf(LedgerEntry entry, String checkpointNote) {
    StoredEvent e = entry.event();
    LedgerEntry.Readable r =
        entry.readable() == null
            ? new LedgerEntry.Readable(null, null, null, null, null, null, null, null, null, null)
            : entry.readable();
    String action = r.action() == null ? simpleName(e.payloadType()) : r.action();
    OcsfClass ocsf = OcsfClass.of(action, r.targetType());
    Privileges privileges =
        ocsf.classUid == OcsfClass.USER_ACCESS ? Privileges.of(action, e.payload()) : null;
    int activity = privileges == null ? ocsf.activity : privileges.activity();
    ObjectNode o = JSON.createObjectNode();
    o.put("category_uid", ocsf.category);
    o.put("class_uid", ocsf.classUid);
    o.put("activity_id", activity);
    o.put("type_uid", ocsf.classUid * 100L + activity);
    o.put("severity_id", 1);
    o.put("time", millis(e.timestamp()));
    boolean refused = action.toLowerCase(Locale.ROOT).contains("refused");
    o.put("status_id", refused ? 2 : 1);
    o.put("status", refused ? "Failure" : "Success");
    putIfPresent(o, "message", r.summary());
    ObjectNode metadata = o.putObject("metadata");
    metadata.put("version", OCSF_VERSION);
    putIfPresent(metadata, "uid", e.eventId());
    putIfPresent(metadata, "correlation_uid", r.correlationId());
    if (e.globalIndex() <= Integer.MAX_VALUE) {
      metadata.put("sequence", e.globalIndex()); // an integer_t; unmapped.ledger has it always
    }
    metadata.put("event_code", action);
    if (ocsf.classUid == OcsfClass.USER_ACCESS) {
      // in 1.1.0 User Access Management has an actor only through the host profile
      metadata.putArray("profiles").add("host");
    }
    ObjectNode product = metadata.putObject("product");
    product.put("name", "Ledgerscale");
    product.put("vendor_name", "Ledgerscale");
    actor(o.putObject("actor"), r);
    ObjectNode unmapped = o.putObject("unmapped");
    if (ocsf.classUid == OcsfClass.USER_ACCESS) {
      putIfPresent(unmapped, "src_ip", r.sourceIp());
    } else {
      ObjectNode src = o.putObject("src_endpoint");
      putIfPresent(src, "ip", r.sourceIp());
      // the class requires a source: where the command came in (REST, CLI, scheduler...)
      src.put("svc_name", blank(r.origin()) ? "ledgerscale" : r.origin());
    }
    if (ocsf.classUid == OcsfClass.API_ACTIVITY) {
      ObjectNode api = o.putObject("api");
      api.put("operation", action);
      if (!blank(r.origin())) {
        api.putObject("service").put("name", r.origin());
      }
      if (!blank(r.targetType()) || !blank(r.targetId())) {
        ObjectNode resource = o.putArray("resources").addObject();
        putIfPresent(resource, "type", r.targetType());
        putIfPresent(resource, "uid", r.targetId());
        if (blank(r.targetId())) {
          resource.put("name", r.targetType());
        }
      }
    } else {
      ObjectNode target = o.putObject("user");
      target.put("uid", blank(r.targetId()) ? "unknown" : r.targetId());
      target.put("type_id", 99);
      target.put("type", blank(r.targetType()) ? "unknown" : r.targetType());
    }
    if (privileges != null) {
      privileges.names().forEach(o.putArray("privileges")::add);
    }
    ObjectNode ledger = ledger(entry);
    ledger.put("checkpoint", checkpointNote);
    unmapped.set("ledger", ledger);
    return o.toString();
  }

  static final String OCSF_VERSION = "1.1.0";

  /** OCSF's actor needs a user (with a name or uid) or the service that acted. */
  private static void actor(ObjectNode actor, LedgerEntry.Readable r) {
    if (blank(r.actorId()) && blank(r.actorName())) {
      actor.put("invoked_by", "Ledgerscale");
      return;
    }
    ObjectNode user = actor.putObject("user");
    putIfPresent(user, "uid", r.actorId());
    putIfPresent(user, "name", r.actorName());
    // OCSF's user types are User, Admin and System; ours (API key, CLI, OIDC user, node...) are
    // named as "Other"
    user.put("type_id", 99);
    user.put("type", blank(r.actorType()) ? "unknown" : r.actorType());
  }

  /** Leaves out what was not recorded: OCSF has no null, and "" is no address or name. */
  private static void putIfPresent(ObjectNode o, String field, String value) {
    if (!blank(value)) {
      o.put(field, value);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /**
   * What a tag or ownership change assigned (User Access Management requires privileges): the new
   * tags, or the old ones when all were removed (then a revocation), or the new owner.
   */
  record Privileges(int activity, List<String> names) {
    static Privileges of(String action, byte[] payload) {
      JsonNode p;
      try {
        p = payload == null ? JSON.missingNode() : JSON.readTree(payload);
      } catch (IOException | RuntimeException e) {
        p = JSON.missingNode();
      }
      List<String> added = texts(p.path("newTags"));
      List<String> removed = texts(p.path("oldTags"));
      if (!added.isEmpty()) {
        return new Privileges(1, added);
      }
      if (!removed.isEmpty()) {
        return new Privileges(2, removed);
      }
      for (String owner : List.of("toUserId", "newUserId")) {
        if (p.has(owner)) {
          JsonNode id = p.path(owner);
          return new Privileges(
              1, List.of(id.isNull() ? "owner:tagged-devices" : "owner:user " + id.asText()));
        }
      }
      return new Privileges(1, List.of(action));
    }

    private static List<String> texts(JsonNode array) {
      List<String> out = new ArrayList<>();
      array.forEach(n -> out.add(n.asText()));
      return out;
    }
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
    static final int USER_ACCESS = 3005;

    static OcsfClass of(String action, String targetType) {
      String a = action.toLowerCase(Locale.ROOT);
      String t = targetType == null ? "" : targetType.toLowerCase(Locale.ROOT);
      if (a.contains("refused")) {
        return new OcsfClass(6, API_ACTIVITY, 99);
      }
      if (a.contains("tag") || a.contains("owner")) {
        // tags and ownership decide what a node may reach: privileges assigned
        return new OcsfClass(3, USER_ACCESS, 1);
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
