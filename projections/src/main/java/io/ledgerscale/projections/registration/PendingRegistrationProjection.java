// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.registration;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.nullableLong;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.query.FetchPendingRegistrationsQuery;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.projections.support.Json;
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
 * Interactive registrations and their outcome, listed for the admin. One registration by auth id is
 * read from its own events instead (server credentials.RegistrationLookup).
 */
@Component
@ProcessingGroup("pending-registrations")
public class PendingRegistrationProjection {
  private final JdbcTemplate jdbc;

  public PendingRegistrationProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(RegistrationRequestedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO registration_view (auth_id, machine_key, node_key, hostname, requested_tags, requested_at,"
            + " expires_at, status) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, 'PENDING') ON CONFLICT ((md5(auth_id))) DO UPDATE"
            + " SET machine_key = EXCLUDED.machine_key, node_key = EXCLUDED.node_key,"
            + " hostname = EXCLUDED.hostname, requested_tags = EXCLUDED.requested_tags,"
            + " requested_at = EXCLUDED.requested_at, expires_at = EXCLUDED.expires_at, status = 'PENDING',"
            + " node_id = NULL, user_id = NULL, reason = NULL",
        e.authId(),
        e.machineKey(),
        e.nodeKey(),
        e.hostname(),
        Json.writeList(e.requestedTags()),
        ts(at),
        ts(e.expiresAt()));
  }

  @EventHandler
  public void on(RegistrationApprovedEvent e) {
    jdbc.update(
        "UPDATE registration_view SET status = 'APPROVED', user_id = ?, node_id = ? WHERE auth_id = ?",
        e.userId(),
        e.nodeId(),
        e.authId());
  }

  @EventHandler
  public void on(RegistrationRejectedEvent e) {
    jdbc.update(
        "UPDATE registration_view SET status = 'REJECTED', reason = ? WHERE auth_id = ?",
        e.reason(),
        e.authId());
  }

  @EventHandler
  public void on(RegistrationExpiredEvent e) {
    jdbc.update("UPDATE registration_view SET status = 'EXPIRED' WHERE auth_id = ?", e.authId());
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM registration_view");
  }

  @QueryHandler
  public List<PendingRegistrationView> handle(FetchPendingRegistrationsQuery query) {
    return jdbc.query(
        "SELECT * FROM registration_view WHERE status = 'PENDING' ORDER BY requested_at, auth_id",
        PendingRegistrationProjection::view);
  }

  /**
   * The row for one auth id. Not a query handler: FindPendingRegistrationQuery is answered from the
   * registration's own events (server's RegistrationLookup), so a stopped read model cannot turn an
   * honest login into "unknown registration".
   */
  public PendingRegistrationView handle(FindPendingRegistrationQuery query) {
    List<PendingRegistrationView> found =
        jdbc.query(
            "SELECT * FROM registration_view WHERE auth_id = ?",
            PendingRegistrationProjection::view,
            query.authId());
    return found.isEmpty() ? null : found.get(0);
  }

  private static PendingRegistrationView view(ResultSet rs, int row) throws SQLException {
    return new PendingRegistrationView(
        rs.getString("auth_id"),
        rs.getString("machine_key"),
        rs.getString("node_key"),
        rs.getString("hostname"),
        Json.readList(rs.getString("requested_tags")),
        instant(rs, "requested_at"),
        instant(rs, "expires_at"),
        rs.getString("status"),
        nullableLong(rs, "node_id"),
        nullableLong(rs, "user_id"),
        rs.getString("reason"));
  }
}
