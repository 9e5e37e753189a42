// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import io.ledgerscale.domain.policy.net.IpAddress;
import io.ledgerscale.domain.policy.topology.TailnetNode;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policydocument.TailnetHistory;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import io.ledgerscale.projections.support.Json;
import io.ledgerscale.projections.support.OwnerColumn;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The tailnet for validating a policy, read from the users and nodes views (see ADR 0002): one
 * query each, however many nodes there are. A tagged node is stored under tagged-devices and is
 * read back with no owning user.
 */
@Component
public class ProjectedTailnetTopology implements TailnetTopology {
  private final JdbcTemplate jdbc;
  private final TailnetSettings settings;

  public ProjectedTailnetTopology(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.settings = TailnetSettings.NONE;
  }

  /** {@code settings}: the operator's tailnet domains, owner and admins the policy may name. */
  @Autowired
  public ProjectedTailnetTopology(JdbcTemplate jdbc, ObjectProvider<TailnetSettings> settings) {
    this.jdbc = jdbc;
    this.settings = settings.getIfAvailable(() -> TailnetSettings.NONE);
  }

  @Override
  public TailnetSnapshot current() {
    List<TailnetUser> users =
        jdbc.query(
            "SELECT id, name, email FROM user_view ORDER BY id",
            (rs, row) ->
                new TailnetUser(rs.getLong("id"), rs.getString("name"), rs.getString("email")));
    List<TailnetNode> nodes =
        jdbc.query(
            "SELECT id, given_name, ipv4, ipv6, user_id, tags::text AS tags, available_routes::text AS advertised,"
                + " approved_routes::text AS approved FROM node_view ORDER BY id",
            (rs, row) -> {
              return new TailnetNode(
                  rs.getLong("id"),
                  rs.getString("given_name"),
                  address(rs.getString("ipv4")),
                  address(rs.getString("ipv6")),
                  OwnerColumn.read(rs).eventUserId(),
                  new LinkedHashSet<>(Json.readList(rs.getString("tags"))),
                  TailnetHistory.prefixesOf(Json.readList(rs.getString("advertised"))),
                  TailnetHistory.prefixesOf(Json.readList(rs.getString("approved"))));
            });
    return TailnetSnapshot.of(users, nodes).withSettings(settings);
  }

  private static IpAddress address(String text) {
    return text == null || text.isBlank() ? null : IpAddress.parse(text);
  }
}
