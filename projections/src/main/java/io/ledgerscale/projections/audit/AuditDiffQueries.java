// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.query.AuditDiffView;
import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.FetchAuditDiffQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * "What changed between T1 and T2, and who changed it": the trail's changes to nodes, users, keys,
 * registrations and the policy in that window (tags and routes are node changes), grouped by what
 * they changed, each group with its values before the first change and after the last. Refusals
 * changed nothing and bookkeeping only restates, so neither is a change here.
 */
@Component
public class AuditDiffQueries {
  /** The most changes one answer carries; a longer window is answered in part, and says so. */
  static final int MAX_ENTRIES = 5000;

  private final JdbcTemplate jdbc;

  public AuditDiffQueries(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @QueryHandler
  public AuditDiffView handle(FetchAuditDiffQuery query) {
    List<AuditEntryView> entries =
        jdbc.query(
            "SELECT * FROM audit_entry WHERE occurred_at > ? AND occurred_at <= ?"
                + " AND NOT bookkeeping AND action NOT IN ('CommandRefusedEvent', 'ForeignNodeKeyRefusedEvent')"
                + " AND target_type IN ('node', 'user', 'preauthkey', 'apikey', 'registration', 'policy')"
                + " ORDER BY global_index LIMIT ?",
            AuditTrailQueries::view,
            ts(query.from()),
            ts(query.to()),
            MAX_ENTRIES + 1);
    boolean truncated = entries.size() > MAX_ENTRIES;
    if (truncated) {
      entries = entries.subList(0, MAX_ENTRIES);
    }
    Map<String, List<AuditEntryView>> byTarget = new LinkedHashMap<>();
    for (AuditEntryView e : entries) {
      byTarget.computeIfAbsent(e.targetType() + "/" + e.targetId(), k -> new ArrayList<>()).add(e);
    }
    List<AuditDiffView.Change> changes = new ArrayList<>();
    for (List<AuditEntryView> group : byTarget.values()) {
      Map<String, Object> before = new LinkedHashMap<>();
      Map<String, Object> after = new LinkedHashMap<>();
      for (AuditEntryView e : group) {
        if (e.oldValues() != null) {
          e.oldValues()
              .forEach(
                  (k, v) -> {
                    if (!after.containsKey(k)) {
                      before.putIfAbsent(k, v);
                    }
                  });
        }
        if (e.newValues() != null) {
          after.putAll(e.newValues());
        }
      }
      AuditEntryView first = group.get(0);
      changes.add(
          new AuditDiffView.Change(first.targetType(), first.targetId(), before, after, group));
    }
    return new AuditDiffView(query.from(), query.to(), changes, truncated);
  }
}
