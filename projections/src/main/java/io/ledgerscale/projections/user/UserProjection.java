// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.user;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The users list. Deleted users disappear, as in Headscale. */
@Component
@ProcessingGroup("users")
public class UserProjection {
  private final JdbcTemplate jdbc;

  public UserProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(UserCreatedEvent event, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO user_view (id, name, display_name, email, picture_url, provider, provider_id, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
            + " display_name = EXCLUDED.display_name, email = EXCLUDED.email, picture_url = EXCLUDED.picture_url,"
            + " provider = EXCLUDED.provider, provider_id = EXCLUDED.provider_id, created_at = EXCLUDED.created_at",
        event.userId(),
        event.name(),
        event.displayName(),
        event.email(),
        event.pictureUrl(),
        event.provider(),
        event.providerId(),
        ts(at));
  }

  @EventHandler
  public void on(UserRenamedEvent event) {
    jdbc.update("UPDATE user_view SET name = ? WHERE id = ?", event.newName(), event.userId());
  }

  @EventHandler
  public void on(UserProfileUpdatedEvent event) {
    jdbc.update(
        "UPDATE user_view SET display_name = ?, email = ?, picture_url = ? WHERE id = ?",
        event.displayName(),
        event.email(),
        event.pictureUrl(),
        event.userId());
  }

  @EventHandler
  public void on(UserDeletedEvent event) {
    jdbc.update("DELETE FROM user_view WHERE id = ?", event.userId());
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM user_view");
  }

  @QueryHandler
  public List<UserView> handle(FetchUsersQuery query) {
    StringBuilder sql = new StringBuilder("SELECT * FROM user_view WHERE TRUE");
    List<Object> args = new ArrayList<>();
    if (query.id() != null && query.id() != 0) {
      sql.append(" AND id = ?");
      args.add(query.id());
    }
    if (query.name() != null && !query.name().isEmpty()) {
      sql.append(" AND name = ?");
      args.add(query.name());
    }
    if (query.email() != null && !query.email().isEmpty()) {
      sql.append(" AND email = ?");
      args.add(query.email());
    }
    sql.append(" ORDER BY id");
    return jdbc.query(sql.toString(), UserProjection::view, args.toArray());
  }

  private static UserView view(ResultSet rs, int row) throws SQLException {
    return new UserView(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("display_name"),
        rs.getString("email"),
        rs.getString("picture_url"),
        rs.getString("provider"),
        rs.getString("provider_id"),
        instant(rs, "created_at"));
  }
}
