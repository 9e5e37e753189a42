// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.ledger;

import io.ledgerscale.domain.ledger.CompactRange;
import io.ledgerscale.domain.ledger.LedgerHash;
import io.ledgerscale.domain.ledger.StoredEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows Axon's event table and appends each stored event to the ledger, in global-index order,
 * off the command path: a command never waits for it, and it reads rows only once they have
 * committed.
 *
 * <p>Axon's global index comes from a sequence, so an index can be taken by a transaction that has
 * not committed yet (or never will). The ledger extends only over a settled prefix: a missing index
 * is passed only once every transaction that was running when it was first seen has ended (or after
 * {@code gapTimeout}, as Axon's own processors give up on gaps). An event that commits into a
 * passed index later is appended then, as a late leaf, so no stored event stays out of the tree.
 *
 * <p>Several instances share one ledger: each step holds a transaction-scoped advisory lock, so one
 * instance appends at a time and all of them sign the same tree.
 */
public class LedgerFollower {
  private static final Logger log = LoggerFactory.getLogger(LedgerFollower.class);

  /** "LEDGER" in ASCII: the advisory lock only the follower takes. */
  static final long LOCK = 0x4c4544474552L;

  /** How long a passed gap is watched for a late commit. */
  static final Duration GAP_WATCH = Duration.ofDays(1);

  private static final String COLUMNS =
      "globalindex, eventidentifier, aggregateidentifier, sequencenumber, type, payloadtype,"
          + " payloadrevision, timestamp, payload, metadata";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Duration gapGrace;
  private final Duration gapTimeout;
  private final int batch;

  /**
   * The gap the follower waits at: its first index, when it was first seen, the xid horizon then.
   */
  private record Waiting(long index, Instant since, long xidHorizon) {}

  private Waiting waiting;

  public LedgerFollower(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      Clock clock,
      Duration gapGrace,
      Duration gapTimeout,
      int batch) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.gapGrace = gapGrace;
    this.gapTimeout = gapTimeout;
    this.batch = batch;
  }

  /** Appends what it can; answers how many leaves it added (0 when another instance holds it). */
  public int advance() {
    return advance(false);
  }

  /**
   * Appends what it can. In the background the follower never waits for another instance ({@code
   * wait} false: it is that instance's turn); asked on demand (an export, a checkpoint) it waits
   * for its turn, so the answer covers what was settled when it was asked.
   */
  public synchronized int advance(boolean wait) {
    Integer added = tx.execute(status -> step(wait));
    return added == null ? 0 : added;
  }

  /** Advances until caught up with what is settled now, at most {@code rounds} batches. */
  public int catchUp(int rounds) {
    return catchUp(rounds, false);
  }

  public int catchUp(int rounds, boolean wait) {
    int total = 0;
    for (int i = 0; i < rounds; i++) {
      int added = advance(wait);
      total += added;
      if (added < batch) {
        break;
      }
    }
    return total;
  }

  private int step(boolean wait) {
    if (wait) {
      jdbc.queryForList("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?)) turn", LOCK);
    } else if (!Boolean.TRUE.equals(
        jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK))) {
      return 0;
    }
    Head head =
        jdbc.queryForObject(
            "SELECT tree_size, next_global_index, entry_hash, frontier FROM audit_ledger_head"
                + " WHERE id = 1",
            (rs, n) ->
                new Head(
                    CompactRange.decode(rs.getLong(1), rs.getBytes(4)),
                    rs.getLong(2),
                    rs.getBytes(3)));
    int added = 0;
    // events that committed into an index passed earlier: appended now, out of index order
    List<StoredEvent> late =
        jdbc.query(
            "SELECT "
                + COLUMNS
                + " FROM audit_ledger_gap g JOIN domainevententry d"
                + " ON d.globalindex BETWEEN g.first_index AND g.last_index"
                + " WHERE NOT EXISTS (SELECT 1 FROM audit_ledger_leaf l"
                + " WHERE l.global_index = d.globalindex) ORDER BY d.globalindex LIMIT ?",
            LedgerFollower::event,
            batch);
    for (StoredEvent e : late) {
      log.warn(
          "Audit ledger: event {} (global index {}) committed after its index was passed; appended"
              + " as leaf {}",
          e.eventId(),
          e.globalIndex(),
          head.range.size());
      head.append(e);
      added++;
    }
    List<StoredEvent> rows =
        jdbc.query(
            "SELECT "
                + COLUMNS
                + " FROM domainevententry WHERE globalindex >= ?"
                + " ORDER BY globalindex LIMIT ?",
            LedgerFollower::event,
            head.next,
            batch);
    for (StoredEvent e : rows) {
      if (e.globalIndex() > head.next) {
        if (!settled(head.next)) {
          break;
        }
        jdbc.update(
            "INSERT INTO audit_ledger_gap (first_index, last_index, skipped_at) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
            head.next,
            e.globalIndex() - 1,
            Timestamp.from(clock.instant()));
      }
      head.append(e);
      head.next = e.globalIndex() + 1;
      waiting = null;
      added++;
    }
    jdbc.update(
        "DELETE FROM audit_ledger_gap WHERE skipped_at < ?",
        Timestamp.from(clock.instant().minus(GAP_WATCH)));
    if (added > 0) {
      jdbc.batchUpdate(
          "INSERT INTO audit_ledger_leaf (leaf_index, global_index, leaf_hash, entry_hash)"
              + " VALUES (?, ?, ?, ?)",
          head.leaves);
      jdbc.update(
          "UPDATE audit_ledger_head SET tree_size = ?, next_global_index = ?, entry_hash = ?,"
              + " frontier = ? WHERE id = 1",
          head.range.size(),
          head.next,
          head.entryHash,
          head.range.encoded());
    }
    return added;
  }

  /**
   * Whether the missing index can no longer be filled by a transaction in flight: every transaction
   * running when it was first seen has ended (and a short grace has passed, for one that took its
   * index an instant before it had a transaction id), or the gap timeout is over.
   */
  private boolean settled(long index) {
    Instant now = clock.instant();
    if (waiting == null || waiting.index != index) {
      Long horizon =
          jdbc.queryForObject(
              "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", Long.class);
      waiting = new Waiting(index, now, horizon == null ? Long.MAX_VALUE : horizon);
      return false;
    }
    Duration waited = Duration.between(waiting.since, now);
    if (waited.compareTo(gapTimeout) >= 0) {
      log.warn(
          "Audit ledger: global index {} still missing after {}; passing it (a late commit is"
              + " appended when it appears)",
          index,
          gapTimeout);
      return true;
    }
    if (waited.compareTo(gapGrace) < 0) {
      return false;
    }
    Long oldest =
        jdbc.queryForObject(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", Long.class);
    return oldest != null && oldest >= waiting.xidHorizon;
  }

  static StoredEvent event(ResultSet rs, int row) throws SQLException {
    return new StoredEvent(
        rs.getLong("globalindex"),
        rs.getString("eventidentifier"),
        rs.getString("aggregateidentifier"),
        rs.getLong("sequencenumber"),
        rs.getString("type"),
        rs.getString("payloadtype"),
        rs.getString("payloadrevision"),
        rs.getString("timestamp"),
        rs.getBytes("payload"),
        rs.getBytes("metadata"));
  }

  private static final class Head {
    final CompactRange range;
    long next;
    byte[] entryHash;
    final List<Object[]> leaves = new java.util.ArrayList<>();

    Head(CompactRange range, long next, byte[] entryHash) {
      this.range = range;
      this.next = next;
      this.entryHash = entryHash;
    }

    void append(StoredEvent e) {
      byte[] leaf = e.leafHash();
      entryHash = LedgerHash.chain(entryHash, leaf);
      leaves.add(new Object[] {range.size(), e.globalIndex(), leaf, entryHash});
      range.append(leaf);
    }
  }
}
