// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.preauthkey;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.nullableLong;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.query.FetchPreAuthKeysQuery;
import io.ledgerscale.domain.api.query.PreAuthKeyView;
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
 * Pre-auth keys without their secrets. Deleted keys stay, flagged, so the list can still explain a
 * node's origin.
 */
@Component
@ProcessingGroup("pre-auth-keys")
public class PreAuthKeyProjection {
  private static final String SELECT =
      "SELECT k.*, u.name AS user_name FROM pre_auth_key_view k LEFT JOIN user_view u ON u.id = k.user_id";

  private final JdbcTemplate jdbc;

  public PreAuthKeyProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(PreAuthKeyCreatedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO pre_auth_key_view (id, prefix, user_id, reusable, ephemeral, expiration, created_at, acl_tags)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (id) DO UPDATE SET prefix = EXCLUDED.prefix,"
            + " user_id = EXCLUDED.user_id, reusable = EXCLUDED.reusable, ephemeral = EXCLUDED.ephemeral,"
            + " expiration = EXCLUDED.expiration, created_at = EXCLUDED.created_at, acl_tags = EXCLUDED.acl_tags,"
            + " used = FALSE, deleted = FALSE",
        e.keyId(),
        e.prefix(),
        e.userId(),
        e.reusable(),
        e.ephemeral(),
        ts(e.expiration()),
        ts(at),
        Json.writeList(e.aclTags()));
  }

  @EventHandler
  public void on(PreAuthKeyUsedEvent e) {
    jdbc.update("UPDATE pre_auth_key_view SET used = TRUE WHERE id = ?", e.keyId());
  }

  @EventHandler
  public void on(PreAuthKeyExpiredEvent e) {
    jdbc.update(
        "UPDATE pre_auth_key_view SET expiration = ? WHERE id = ?", ts(e.expiredAt()), e.keyId());
  }

  @EventHandler
  public void on(PreAuthKeyDeletedEvent e) {
    jdbc.update("UPDATE pre_auth_key_view SET deleted = TRUE WHERE id = ?", e.keyId());
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM pre_auth_key_view");
  }

  /**
   * All keys, deleted ones included and flagged; callers that mirror Headscale's list drop those.
   */
  @QueryHandler
  public List<PreAuthKeyView> handle(FetchPreAuthKeysQuery query) {
    if (query.userId() == null) {
      return jdbc.query(SELECT + " ORDER BY k.id", PreAuthKeyProjection::view);
    }
    return jdbc.query(
        SELECT + " WHERE k.user_id = ? ORDER BY k.id", PreAuthKeyProjection::view, query.userId());
  }

  private static PreAuthKeyView view(ResultSet rs, int row) throws SQLException {
    return new PreAuthKeyView(
        rs.getLong("id"),
        rs.getString("prefix"),
        nullableLong(rs, "user_id"),
        rs.getString("user_name"),
        rs.getBoolean("reusable"),
        rs.getBoolean("ephemeral"),
        rs.getBoolean("used"),
        instant(rs, "expiration"),
        instant(rs, "created_at"),
        Json.readList(rs.getString("acl_tags")),
        rs.getBoolean("deleted"));
  }
}
