// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.approval;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.approval.ApprovalGrantedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRejectedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestExpiredEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestedEvent;
import io.ledgerscale.domain.api.approval.ApprovalView;
import io.ledgerscale.domain.api.approval.FetchApprovalsQuery;
import io.ledgerscale.domain.api.approval.FetchDueApprovalRequestsQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
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
 * Four-eyes requests as listed. A request past its time is listed EXPIRED at once; its {@link
 * ApprovalRequestExpiredEvent}, which the server's sweep records shortly after, makes it so in the
 * table (with the time it was recorded) and in the trail.
 */
@Component
@ProcessingGroup("approvals")
public class ApprovalProjection {
  static final int MAX_LISTED = 1000;

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  public ApprovalProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(ApprovalRequestedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO approval_view (request_id, action, summary, requester_type, requester_id,"
            + " requester_name, requested_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')"
            + " ON CONFLICT DO NOTHING",
        e.requestId(),
        e.action().key(),
        e.summary(),
        e.requesterType(),
        e.requesterId(),
        e.requesterName(),
        ts(at),
        ts(e.expiresAt()));
  }

  @EventHandler
  public void on(ApprovalGrantedEvent e, @Timestamp Instant at) {
    decided(e.requestId(), "APPROVED", e.approverId(), e.approverName(), null, at);
  }

  @EventHandler
  public void on(ApprovalRejectedEvent e, @Timestamp Instant at) {
    decided(e.requestId(), "REJECTED", e.deciderId(), e.deciderName(), e.reason(), at);
  }

  @EventHandler
  public void on(ApprovalRequestExpiredEvent e, @Timestamp Instant at) {
    jdbc.update(
        "UPDATE approval_view SET status = 'EXPIRED', decided_at = ? WHERE request_id = ?"
            + " AND status = 'PENDING'",
        ts(at),
        e.requestId());
  }

  private void decided(
      String requestId, String status, String id, String name, String reason, Instant at) {
    jdbc.update(
        "UPDATE approval_view SET status = ?, decider_id = ?, decider_name = ?, reason = ?,"
            + " decided_at = ? WHERE request_id = ?",
        status,
        id,
        name,
        reason,
        ts(at),
        requestId);
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM approval_view");
  }

  @QueryHandler
  public List<ApprovalView> handle(FetchApprovalsQuery query) {
    Instant now = clock.instant();
    String where = query.pendingOnly() ? " WHERE status = 'PENDING' AND expires_at > ?" : "";
    Object[] args =
        query.pendingOnly() ? new Object[] {ts(now), MAX_LISTED} : new Object[] {MAX_LISTED};
    return jdbc.query(
        "SELECT * FROM approval_view" + where + " ORDER BY requested_at DESC LIMIT ?",
        (rs, row) -> view(rs, now),
        args);
  }

  @QueryHandler
  public List<String> handle(FetchDueApprovalRequestsQuery query) {
    return jdbc.queryForList(
        "SELECT request_id FROM approval_view WHERE status = 'PENDING' AND expires_at <= ?"
            + " ORDER BY expires_at LIMIT ?",
        String.class,
        ts(query.now()),
        Math.max(1, Math.min(query.limit(), MAX_LISTED)));
  }

  private static ApprovalView view(ResultSet rs, Instant now) throws SQLException {
    String status = rs.getString("status");
    Instant expiresAt = instant(rs, "expires_at");
    if ("PENDING".equals(status) && !now.isBefore(expiresAt)) {
      status = "EXPIRED";
    }
    return new ApprovalView(
        rs.getString("request_id"),
        rs.getString("action"),
        rs.getString("summary"),
        rs.getString("requester_type"),
        rs.getString("requester_id"),
        rs.getString("requester_name"),
        instant(rs, "requested_at"),
        expiresAt,
        status,
        rs.getString("decider_id"),
        rs.getString("decider_name"),
        rs.getString("reason"),
        instant(rs, "decided_at"));
  }
}
