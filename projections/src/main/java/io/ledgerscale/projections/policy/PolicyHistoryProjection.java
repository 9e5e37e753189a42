// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.query.FetchPolicyDiffQuery;
import io.ledgerscale.domain.api.query.FetchPolicyHistoryQuery;
import io.ledgerscale.domain.api.query.PolicyDiffView;
import io.ledgerscale.domain.api.query.PolicyVersionView;
import io.ledgerscale.domain.policydocument.LineDiff;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every policy version ever accepted, so any two can be compared and changes listed by date and
 * author.
 */
@Component
@ProcessingGroup("policy-history")
public class PolicyHistoryProjection {
  private final JdbcTemplate jdbc;

  public PolicyHistoryProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(PolicyChangedEvent e, @Timestamp Instant at, MetaData metaData) {
    jdbc.update(
        "INSERT INTO policy_version (version, policy, sha256, previous_sha256, diff, changed_at, actor_type,"
            + " actor_id, actor_name, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING",
        e.version(),
        e.policy(),
        e.sha256(),
        e.previousSha256(),
        e.diff() == null ? "" : e.diff(),
        ts(at),
        text(metaData, AuditMetadata.ACTOR_TYPE),
        text(metaData, AuditMetadata.ACTOR_ID),
        text(metaData, AuditMetadata.ACTOR_NAME),
        text(metaData, AuditMetadata.ORIGIN));
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM policy_version");
  }

  @QueryHandler
  public List<PolicyVersionView> handle(FetchPolicyHistoryQuery query) {
    StringBuilder sql = new StringBuilder("SELECT * FROM policy_version WHERE TRUE");
    List<Object> args = new ArrayList<>();
    if (query.from() != null) {
      sql.append(" AND changed_at >= ?");
      args.add(ts(query.from()));
    }
    if (query.to() != null) {
      sql.append(" AND changed_at <= ?");
      args.add(ts(query.to()));
    }
    sql.append(" ORDER BY version");
    return jdbc.query(sql.toString(), PolicyHistoryProjection::version, args.toArray());
  }

  @QueryHandler
  public PolicyDiffView handle(FetchPolicyDiffQuery query) {
    List<String[]> from = text(query.fromVersion());
    List<String[]> to = text(query.toVersion());
    if (from.isEmpty() || to.isEmpty()) {
      return null;
    }
    return new PolicyDiffView(
        query.fromVersion(),
        query.toVersion(),
        from.get(0)[1],
        to.get(0)[1],
        LineDiff.between(from.get(0)[0], to.get(0)[0]));
  }

  private List<String[]> text(long version) {
    return jdbc.query(
        "SELECT policy, sha256 FROM policy_version WHERE version = ?",
        (rs, row) -> new String[] {rs.getString("policy"), rs.getString("sha256")},
        version);
  }

  private static String text(MetaData metaData, String key) {
    Object value = metaData.get(key);
    return value == null ? null : value.toString();
  }

  private static PolicyVersionView version(ResultSet rs, int row) throws SQLException {
    return new PolicyVersionView(
        rs.getLong("version"),
        instant(rs, "changed_at"),
        rs.getString("actor_type"),
        rs.getString("actor_id"),
        rs.getString("actor_name"),
        rs.getString("origin"),
        rs.getString("sha256"),
        rs.getString("previous_sha256"));
  }
}
