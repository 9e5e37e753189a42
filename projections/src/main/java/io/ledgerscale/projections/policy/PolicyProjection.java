// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.PolicyView;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The policy in force, verbatim; its history is in the audit trail. */
@Component
@ProcessingGroup("policy")
public class PolicyProjection {
  private final JdbcTemplate jdbc;

  public PolicyProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(PolicyChangedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO policy_view (id, version, policy, sha256, updated_at) VALUES (1, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, policy = EXCLUDED.policy,"
            + " sha256 = EXCLUDED.sha256, updated_at = EXCLUDED.updated_at",
        e.version(),
        e.policy(),
        e.sha256(),
        ts(at));
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM policy_view");
  }

  @QueryHandler
  public PolicyView handle(FetchPolicyQuery query) {
    List<PolicyView> found =
        jdbc.query(
            "SELECT * FROM policy_view WHERE id = 1",
            (rs, row) ->
                new PolicyView(
                    rs.getLong("version"), rs.getString("policy"), instant(rs, "updated_at")));
    return found.isEmpty() ? null : found.get(0);
  }
}
