// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import io.ledgerscale.projections.support.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads the audit trail: newest first, filtered, one page at a time (pages count from 0). */
@Component
public class AuditTrailQueries {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;

  private final JdbcTemplate jdbc;

  public AuditTrailQueries(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @QueryHandler
  public AuditPage handle(FetchAuditTrailQuery query) {
    int size = query.size() <= 0 ? DEFAULT_PAGE_SIZE : Math.min(query.size(), MAX_PAGE_SIZE);
    int page = Math.max(query.page(), 0);
    StringBuilder where =
        new StringBuilder(query.includeBookkeeping() ? " WHERE TRUE" : " WHERE NOT bookkeeping");
    List<Object> args = new ArrayList<>();
    if (present(query.actor())) {
      where.append(" AND (actor_id = ? OR actor_name = ?)");
      args.add(query.actor());
      args.add(query.actor());
    }
    if (present(query.targetType())) {
      where.append(" AND target_type = ?");
      args.add(query.targetType());
    }
    if (present(query.targetId())) {
      where.append(" AND target_id = ?");
      args.add(query.targetId());
    }
    if (present(query.action())) {
      // "UserCreated" and "UserCreatedEvent" both name the same action
      where.append(" AND lower(action) IN (lower(?), lower(?) || 'event')");
      args.add(query.action());
      args.add(query.action());
    }
    if (query.from() != null) {
      where.append(" AND occurred_at >= ?");
      args.add(ts(query.from()));
    }
    if (query.to() != null) {
      where.append(" AND occurred_at < ?");
      args.add(ts(query.to()));
    }
    Long total =
        jdbc.queryForObject("SELECT count(*) FROM audit_entry" + where, Long.class, args.toArray());
    List<Object> pageArgs = new ArrayList<>(args);
    pageArgs.add(size);
    pageArgs.add((long) page * size);
    List<AuditEntryView> entries =
        jdbc.query(
            "SELECT * FROM audit_entry" + where + " ORDER BY global_index DESC LIMIT ? OFFSET ?",
            AuditTrailQueries::view,
            pageArgs.toArray());
    return new AuditPage(entries, total == null ? 0 : total, page, size);
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  static AuditEntryView view(ResultSet rs, int row) throws SQLException {
    int count = rs.getInt("repeat_count");
    Instant last = instant(rs, "last_occurred_at");
    List<Long> folded = new ArrayList<>();
    folded.add(rs.getLong("global_index"));
    for (String index : Json.readList(rs.getString("folded_indexes"))) {
      folded.add(Long.parseLong(index));
    }
    String summary = rs.getString("summary");
    if (count > 1) {
      summary += " (" + count + " times" + (last == null ? "" : ", the last at " + last) + ")";
    }
    return new AuditEntryView(
        rs.getLong("global_index"),
        rs.getString("event_id"),
        instant(rs, "occurred_at"),
        rs.getString("action"),
        rs.getString("actor_type"),
        rs.getString("actor_id"),
        rs.getString("actor_name"),
        rs.getString("origin"),
        rs.getString("source_ip"),
        rs.getString("correlation_id"),
        rs.getString("target_type"),
        rs.getString("target_id"),
        Json.readMap(rs.getString("old_values")),
        Json.readMap(rs.getString("new_values")),
        summary,
        count,
        last == null ? instant(rs, "occurred_at") : last,
        List.copyOf(folded),
        rs.getBoolean("bookkeeping"));
  }
}
