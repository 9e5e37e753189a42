// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import io.ledgerscale.admin.deadletter.DeadLetters.Letter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads Axon's dead-letter table (our migration V202612010031 creates it) for the list, the health
 * check and the metric: plain SQL, so neither needs to deserialize an event that may be the very
 * thing that could not be read. The event's global position is looked up in the event store by the
 * event's id. Changes go through Axon's queue ({@link AxonDeadLetters}), never through here.
 */
public class DeadLetterTable {
  static final int MAX_ERROR = BoundedCause.MAX_MESSAGE + 1;

  private final JdbcTemplate jdbc;

  public DeadLetterTable(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Dead letters per group, for every group that has any. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    jdbc.query(
        "SELECT processinggroup, count(*) AS n FROM deadletterentry GROUP BY processinggroup",
        rs -> {
          counts.put(rs.getString("processinggroup"), rs.getLong("n"));
        });
    return counts;
  }

  public long count(String group) {
    Long n =
        jdbc.queryForObject(
            "SELECT count(*) FROM deadletterentry WHERE processinggroup = ?", Long.class, group);
    return n == null ? 0 : n;
  }

  /** Oldest first (by the event's position), of one group or of all (group null). */
  public List<Letter> list(String group, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder(
            "SELECT d.processinggroup, d.sequenceidentifier, d.sequenceindex, e.globalindex,"
                + " d.payloadtype, d.eventidentifier, d.aggregateidentifier, d.sequencenumber,"
                + " d.enqueuedat, d.lasttouched, d.causetype, left(d.causemessage, "
                + MAX_ERROR
                + ") AS causemessage FROM deadletterentry d"
                + " LEFT JOIN domainevententry e ON e.eventidentifier = d.eventidentifier");
    if (group != null) {
      sql.append(" WHERE d.processinggroup = ?");
      args.add(group);
    }
    sql.append(
        " ORDER BY e.globalindex NULLS LAST, d.processinggroup, d.sequenceidentifier,"
            + " d.sequenceindex LIMIT ?");
    args.add(limit);
    return jdbc.query(sql.toString(), DeadLetterTable::letter, args.toArray());
  }

  private static Letter letter(ResultSet rs, int row) throws SQLException {
    long position = rs.getLong("globalindex");
    Long found = rs.wasNull() ? null : position;
    long aggregateSequence = rs.getLong("sequencenumber");
    return new Letter(
        rs.getString("processinggroup"),
        rs.getString("sequenceidentifier"),
        rs.getLong("sequenceindex"),
        found,
        rs.getString("payloadtype"),
        rs.getString("eventidentifier"),
        rs.getString("aggregateidentifier"),
        rs.wasNull() ? null : aggregateSequence,
        instant(rs.getString("enqueuedat")),
        instant(rs.getString("lasttouched")),
        rs.getString("causetype"),
        rs.getString("causemessage"));
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
