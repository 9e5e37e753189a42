// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.ledger;

import io.ledgerscale.domain.api.query.AuditCheckpointQuery;
import io.ledgerscale.domain.api.query.AuditCheckpointView;
import io.ledgerscale.domain.api.query.AuditLedgerPage;
import io.ledgerscale.domain.api.query.ExportAuditLedgerQuery;
import io.ledgerscale.domain.api.query.ProveAuditEntryQuery;
import io.ledgerscale.domain.ledger.LedgerEntry;
import io.ledgerscale.domain.ledger.LedgerExport;
import io.ledgerscale.domain.ledger.LedgerHash;
import io.ledgerscale.domain.ledger.MerkleTree;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Answers exports, inclusion proofs and checkpoints from the ledger's tables. Entries are the
 * stored rows of Axon's event table; the proofs come from the leaf hashes the follower recorded, so
 * a row changed in the database since shows as an entry whose bytes no longer match its proof.
 */
public class AuditLedgerQueries {
  /** Earlier checkpoints carried in an export's header, with their consistency proofs. */
  static final int EARLIER_CHECKPOINTS = 64;

  private final JdbcTemplate jdbc;
  private final LedgerFollower follower;
  private final CheckpointSigner signer;
  private MerkleTree cached;

  public AuditLedgerQueries(JdbcTemplate jdbc, LedgerFollower follower, CheckpointSigner signer) {
    this.jdbc = jdbc;
    this.follower = follower;
    this.signer = signer;
  }

  @QueryHandler
  public AuditCheckpointView handle(AuditCheckpointQuery query) {
    CheckpointSigner.Signed signed = query.signNow() ? fresh() : signer.latest();
    if (signed == null) {
      signed = signer.sign();
    }
    return new AuditCheckpointView(
        signed.size(),
        Base64.getEncoder().encodeToString(signed.root()),
        signed.note(),
        signer.signer().verifier().keyText(),
        signed.signedAt());
  }

  @QueryHandler
  public AuditLedgerPage handle(ExportAuditLedgerQuery q) {
    boolean ocsf = "ocsf".equals(q.format());
    CheckpointSigner.Signed cp = q.treeSize() <= 0 ? fresh() : checkpoint(q.treeSize());
    if (cp == null) {
      return null; // no checkpoint of that size: the caller answers 404
    }
    long n = cp.size();
    long first = q.from() == null ? 0 : bound("min", ">=", q.from(), n, n);
    long last = q.to() == null ? n - 1 : bound("max", "<", q.to(), n, -1);
    int limit = Math.max(1, Math.min(q.limit(), ExportAuditLedgerQuery.MAX_LIMIT));
    long start = Math.max(first, q.afterLeaf() + 1);
    long end = Math.min(last, start + limit - 1);
    List<String> lines = new ArrayList<>();
    MerkleTree tree = tree(n);
    if (q.afterLeaf() < 0 && !ocsf) {
      lines.add(LedgerExport.header(signer.signer().name(), n, cp.note()));
      for (CheckpointSigner.Signed earlier : earlier(Math.max(first, 1), n)) {
        lines.add(
            LedgerExport.checkpoint(earlier.note(), tree.consistencyProof(earlier.size(), n)));
      }
    }
    if (start <= end) {
      for (LedgerEntry e : entries(start, end, n, tree)) {
        lines.add(ocsf ? LedgerExport.ocsf(e, cp.note()) : LedgerExport.jsonl(e));
      }
    }
    return new AuditLedgerPage(lines, n, end < last ? end : -1);
  }

  @QueryHandler
  public AuditLedgerPage handle(ProveAuditEntryQuery q) {
    Long leaf = leafOf(q.id());
    if (leaf == null) {
      follower.catchUp(10, true);
      leaf = leafOf(q.id());
    }
    if (leaf == null) {
      return null;
    }
    CheckpointSigner.Signed cp = signer.latest();
    if (cp == null || cp.size() <= leaf) {
      cp = signer.sign();
    }
    MerkleTree tree = tree(cp.size());
    List<String> lines = new ArrayList<>();
    lines.add(LedgerExport.header(signer.signer().name(), cp.size(), cp.note()));
    entries(leaf, leaf, cp.size(), tree).forEach(e -> lines.add(LedgerExport.jsonl(e)));
    return new AuditLedgerPage(lines, cp.size(), -1);
  }

  private CheckpointSigner.Signed fresh() {
    follower.catchUp(100, true);
    return signer.sign();
  }

  private CheckpointSigner.Signed checkpoint(long size) {
    return jdbc
        .query(
            // this instance's own signature first; another instance's (a later page of an export
            // answered elsewhere) when this one never signed that size
            "SELECT tree_size, root_hash, note, signed_at FROM audit_checkpoint"
                + " WHERE tree_size = ? ORDER BY (key_hash = ?) DESC LIMIT 1",
            (rs, i) ->
                new CheckpointSigner.Signed(
                    rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
            size,
            signer.signer().verifier().keyHashHex())
        .stream()
        .findFirst()
        .orElse(null);
  }

  private List<CheckpointSigner.Signed> earlier(long fromSize, long size) {
    return jdbc.query(
        "SELECT tree_size, root_hash, note, signed_at FROM audit_checkpoint"
            + " WHERE tree_size BETWEEN ? AND ? AND key_hash = ? ORDER BY tree_size DESC LIMIT ?",
        (rs, i) ->
            new CheckpointSigner.Signed(
                rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
        fromSize,
        size - 1,
        signer.signer().verifier().keyHashHex(),
        EARLIER_CHECKPOINTS);
  }

  /** The first (or last) leaf below {@code size} whose event's time is on the right side. */
  private long bound(String fn, String op, java.time.Instant at, long size, long none) {
    Long leaf =
        jdbc.queryForObject(
            "SELECT "
                + fn
                + "(l.leaf_index) FROM audit_ledger_leaf l JOIN domainevententry d"
                + " ON d.globalindex = l.global_index WHERE l.leaf_index < ?"
                + " AND d.timestamp::timestamptz "
                + op
                + " ?",
            Long.class,
            size,
            Timestamp.from(at));
    return leaf == null ? none : leaf;
  }

  private Long leafOf(String id) {
    String column =
        id.chars().allMatch(Character::isDigit) ? "l.global_index" : "d.eventidentifier";
    Object arg = column.startsWith("l.") ? (Object) Long.parseLong(id) : id;
    return jdbc
        .query(
            "SELECT l.leaf_index FROM audit_ledger_leaf l JOIN domainevententry d"
                + " ON d.globalindex = l.global_index WHERE "
                + column
                + " = ?",
            (rs, i) -> rs.getLong(1),
            arg)
        .stream()
        .findFirst()
        .orElse(null);
  }

  private List<LedgerEntry> entries(long start, long end, long size, MerkleTree tree) {
    byte[][] prev = {
      start == 0
          ? LedgerHash.CHAIN_START
          : jdbc.queryForObject(
              "SELECT entry_hash FROM audit_ledger_leaf WHERE leaf_index = ?",
              byte[].class,
              start - 1)
    };
    return jdbc.query(
        "SELECT l.leaf_index, l.leaf_hash, l.entry_hash, d.*, a.action, a.summary, a.actor_type,"
            + " a.actor_id, a.actor_name, a.origin, a.source_ip, a.correlation_id, a.target_type,"
            + " a.target_id FROM audit_ledger_leaf l JOIN domainevententry d"
            + " ON d.globalindex = l.global_index LEFT JOIN audit_entry a"
            + " ON a.global_index = l.global_index WHERE l.leaf_index BETWEEN ? AND ?"
            + " ORDER BY l.leaf_index",
        (rs, i) -> {
          long leaf = rs.getLong("leaf_index");
          byte[] entryHash = rs.getBytes("entry_hash");
          LedgerEntry entry =
              new LedgerEntry(
                  leaf,
                  LedgerFollower.event(rs, i),
                  rs.getBytes("leaf_hash"),
                  prev[0],
                  entryHash,
                  size,
                  tree.inclusionProof(leaf, size),
                  new LedgerEntry.Readable(
                      rs.getString("action"),
                      rs.getString("summary"),
                      rs.getString("actor_type"),
                      rs.getString("actor_id"),
                      rs.getString("actor_name"),
                      rs.getString("origin"),
                      rs.getString("source_ip"),
                      rs.getString("correlation_id"),
                      rs.getString("target_type"),
                      rs.getString("target_id")));
          prev[0] = entryHash;
          return entry;
        },
        start,
        end);
  }

  /**
   * The tree of the first {@code size} leaves, kept for the next page of the same export (one tree
   * at a time: an export pages through one size).
   */
  private synchronized MerkleTree tree(long size) {
    if (cached == null || cached.size() != size) {
      List<byte[]> leaves =
          jdbc.query(
              "SELECT leaf_hash FROM audit_ledger_leaf WHERE leaf_index < ? ORDER BY leaf_index",
              (rs, i) -> rs.getBytes(1),
              size);
      cached = new MerkleTree(leaves);
    }
    return cached;
  }
}
