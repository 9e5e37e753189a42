// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.sshcheck;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.query.FindLastSshAuthenticationQuery;
import io.ledgerscale.domain.api.query.FindSshCheckQuery;
import io.ledgerscale.domain.api.query.SshCheckView;
import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * SSH checks and their outcome; a user's last approved check is when they last proved they are at
 * the keyboard.
 */
@Component
@ProcessingGroup("ssh-checks")
public class SshCheckProjection {
  private final JdbcTemplate jdbc;

  public SshCheckProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(SshCheckRequestedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO ssh_check_view (check_id, src_node_id, dst_node_id, user_id, ssh_user, local_user,"
            + " requested_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')"
            + " ON CONFLICT ((md5(check_id))) DO NOTHING",
        e.checkId(),
        e.srcNodeId(),
        e.dstNodeId(),
        e.userId(),
        e.sshUser(),
        e.localUser(),
        ts(at),
        ts(e.expiresAt()));
  }

  @EventHandler
  public void on(SshCheckApprovedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "UPDATE ssh_check_view SET status = 'APPROVED', decided_at = ? WHERE check_id = ?",
        ts(at),
        e.checkId());
  }

  @EventHandler
  public void on(SshCheckRejectedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "UPDATE ssh_check_view SET status = 'REJECTED', decided_at = ?, reason = ? WHERE check_id = ?",
        ts(at),
        e.reason(),
        e.checkId());
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM ssh_check_view");
  }

  @QueryHandler
  public SshCheckView handle(FindSshCheckQuery query) {
    List<SshCheckView> found =
        jdbc.query(
            "SELECT * FROM ssh_check_view WHERE check_id = ?",
            SshCheckProjection::view,
            query.checkId());
    return found.isEmpty() ? null : found.get(0);
  }

  @QueryHandler
  public SshCheckView handle(FindLastSshAuthenticationQuery query) {
    List<SshCheckView> found =
        jdbc.query(
            "SELECT * FROM ssh_check_view WHERE user_id = ? AND status = 'APPROVED'"
                + " ORDER BY decided_at DESC LIMIT 1",
            SshCheckProjection::view,
            query.userId());
    return found.isEmpty() ? null : found.get(0);
  }

  private static SshCheckView view(ResultSet rs, int row) throws SQLException {
    return new SshCheckView(
        rs.getString("check_id"),
        rs.getLong("src_node_id"),
        rs.getLong("dst_node_id"),
        rs.getLong("user_id"),
        rs.getString("ssh_user"),
        rs.getString("local_user"),
        instant(rs, "requested_at"),
        instant(rs, "expires_at"),
        rs.getString("status"),
        instant(rs, "decided_at"),
        rs.getString("reason"));
  }
}
