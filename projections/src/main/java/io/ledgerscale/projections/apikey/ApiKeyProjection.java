// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.apikey;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.ApiKeyView;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import io.ledgerscale.domain.api.query.FindApiKeyCredentialQuery;
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
 * Admin API keys: the list (never a secret) and the credential lookup by prefix that authenticates
 * a request. A deleted key keeps its row, flagged, so a presented deleted key is told apart from an
 * unknown one.
 */
@Component
@ProcessingGroup("api-keys")
public class ApiKeyProjection {
  private final JdbcTemplate jdbc;

  public ApiKeyProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(ApiKeyCreatedEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO api_key_view (id, prefix, secret_hash, expiration, created_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET prefix = EXCLUDED.prefix, secret_hash = EXCLUDED.secret_hash,"
            + " expiration = EXCLUDED.expiration, created_at = EXCLUDED.created_at, last_seen = NULL,"
            + " deleted = FALSE",
        e.apiKeyId(),
        e.prefix(),
        e.secretHash(),
        ts(e.expiration()),
        ts(at));
  }

  @EventHandler
  public void on(ApiKeyUsedEvent e) {
    jdbc.update("UPDATE api_key_view SET last_seen = ? WHERE id = ?", ts(e.usedAt()), e.apiKeyId());
  }

  @EventHandler
  public void on(ApiKeyExpiredEvent e) {
    jdbc.update(
        "UPDATE api_key_view SET expiration = ? WHERE id = ?", ts(e.expiredAt()), e.apiKeyId());
  }

  @EventHandler
  public void on(ApiKeyDeletedEvent e) {
    jdbc.update("UPDATE api_key_view SET deleted = TRUE WHERE id = ?", e.apiKeyId());
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM api_key_view");
  }

  @QueryHandler
  public List<ApiKeyView> handle(FetchApiKeysQuery query) {
    return jdbc.query(
        "SELECT * FROM api_key_view WHERE NOT deleted ORDER BY id",
        (rs, row) ->
            new ApiKeyView(
                rs.getLong("id"),
                rs.getString("prefix"),
                instant(rs, "expiration"),
                instant(rs, "created_at"),
                instant(rs, "last_seen")));
  }

  @QueryHandler
  public ApiKeyCredential handle(FindApiKeyCredentialQuery query) {
    List<ApiKeyCredential> found =
        jdbc.query(
            "SELECT * FROM api_key_view WHERE prefix = ?",
            (rs, row) ->
                new ApiKeyCredential(
                    rs.getLong("id"),
                    rs.getString("prefix"),
                    rs.getString("secret_hash"),
                    instant(rs, "expiration"),
                    rs.getBoolean("deleted")),
            query.prefix());
    return found.isEmpty() ? null : found.get(0);
  }
}
