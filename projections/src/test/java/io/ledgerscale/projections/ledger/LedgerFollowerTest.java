// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.query.AuditLedgerPage;
import io.ledgerscale.domain.api.query.ExportAuditLedgerQuery;
import io.ledgerscale.domain.ledger.ExportVerifier;
import io.ledgerscale.domain.ledger.NoteSigner;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The gap test (reference §5.2.5) on a real PostgreSQL: an index taken by a transaction still in
 * flight holds the ledger back, a rolled-back one is passed once nothing can fill it, and one that
 * commits after the gap timeout is appended late, never lost. The export then verifies.
 */
class LedgerFollowerTest {
  static final Duration GRACE = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  JdbcTemplate jdbc;
  DataSource data;
  MovableClock clock = new MovableClock();
  LedgerFollower follower;

  @BeforeEach
  void database() {
    jdbc = ProjectionDatabase.fresh();
    data = jdbc.getDataSource();
    follower =
        new LedgerFollower(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(data)),
            clock,
            GRACE,
            TIMEOUT,
            100);
  }

  @Test
  void theLedgerExtendsOnlyOverTheSettledPrefixAndNeverLosesALateCommit() throws Exception {
    // 1. an insert in flight holds everything after it back, however long it waits (under the
    // timeout)
    Connection slow = open();
    long first = insert(slow);
    long second = insert(null);
    assertThat(follower.advance()).isZero();
    clock.move(Duration.ofSeconds(5));
    assertThat(follower.advance()).as("the in-flight index is not passed").isZero();
    slow.commit();
    assertThat(follower.advance()).isEqualTo(2);
    assertThat(globalIndexesInLeafOrder()).containsExactly(first, second);

    // 2. a rolled-back insert is passed once no transaction that could fill it is running
    Connection rolledBack = open();
    long gap = insert(rolledBack);
    rolledBack.rollback();
    long third = insert(null);
    assertThat(follower.advance()).as("first sighting of the gap").isZero();
    clock.move(GRACE.plusMillis(1));
    assertThat(follower.advance()).isEqualTo(1);
    assertThat(globalIndexesInLeafOrder()).containsExactly(first, second, third);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM audit_ledger_gap WHERE first_index = ?", Long.class, gap))
        .isEqualTo(1);

    // 3. one held past the timeout is passed, and appended as a late leaf when it commits
    Connection stuck = open();
    long late = insert(stuck);
    long fourth = insert(null);
    assertThat(follower.advance()).isZero();
    clock.move(TIMEOUT);
    assertThat(follower.advance()).isEqualTo(1);
    stuck.commit();
    assertThat(follower.advance()).isEqualTo(1);
    assertThat(globalIndexesInLeafOrder()).containsExactly(first, second, third, fourth, late);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class))
        .isEqualTo(5);

    // the whole ledger, late leaf included, exports and verifies offline
    NoteSigner key = NoteSigner.generate("test.example/audit", new SecureRandom());
    AuditLedgerQueries queries =
        new AuditLedgerQueries(jdbc, follower, new CheckpointSigner(jdbc, key, clock));
    AuditLedgerPage page =
        queries.handle(new ExportAuditLedgerQuery(null, null, "jsonl", -1, 0, 1000));
    assertThat(page.treeSize()).isEqualTo(5);
    ExportVerifier.Report report =
        new ExportVerifier(List.of(key.verifier()), List.of())
            .verify(new BufferedReader(new StringReader(String.join("\n", page.lines()))));
    assertThat(report.failure()).isNull();
    assertThat(report.entries()).isEqualTo(5);
  }

  @Test
  void onlyOneInstanceAppendsAtATime() throws Exception {
    insert(null);
    Connection other = open();
    try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LedgerFollower.LOCK);
      lock.execute();
    }
    assertThat(follower.advance()).as("another instance holds the ledger").isZero();
    other.commit();
    assertThat(follower.advance()).isEqualTo(1);
  }

  private Connection open() throws Exception {
    Connection c = data.getConnection();
    c.setAutoCommit(false);
    return c;
  }

  /** Appends one event as Axon would (the global index from the sequence); null: its own commit. */
  private long insert(Connection in) throws Exception {
    Connection c = in == null ? data.getConnection() : in;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type,"
                + " eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp)"
                + " VALUES (?, 0, 'User', ?, ?, ?, '1', 'UserCreatedEvent', ?) RETURNING globalindex")) {
      String id = UUID.randomUUID().toString();
      s.setString(1, "user-" + id);
      s.setString(2, id);
      s.setBytes(3, "{}".getBytes(StandardCharsets.UTF_8));
      s.setBytes(4, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
      s.setString(5, Instant.now().toString());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } finally {
      if (in == null) {
        c.close();
      }
    }
  }

  private List<Long> globalIndexesInLeafOrder() {
    return jdbc.queryForList(
        "SELECT global_index FROM audit_ledger_leaf ORDER BY leaf_index", Long.class);
  }

  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-12-02T09:00:00Z");

    void move(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
