// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.node;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.nullableLong;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeHostnameChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.Owner;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.FetchInactiveEphemeralNodesQuery;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FindNodeByNodeKeyQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.projections.support.Json;
import io.ledgerscale.projections.support.OwnerColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The nodes list. A tagged node is stored with owner {@link TaggedDevices#USER_ID} ({@link
 * OwnerColumn}) so that listing by user works the way Headscale's does; user names are joined at
 * query time so a rename needs no node update. A transfer to a user drops the tags it names.
 */
@Component
@ProcessingGroup("nodes")
public class NodeProjection {
  private static final String SELECT =
      "SELECT n.*, u.name AS user_name, c.online AS conn_online, c.last_seen AS conn_last_seen,"
          + " c.disco_key AS conn_disco_key FROM node_view n LEFT JOIN user_view u ON u.id = n.user_id"
          // connectivity is reported by clients, not derived from events (ADR 0001): joined in,
          // never projected
          + " LEFT JOIN node_connectivity c ON c.node_id = n.id";

  private final JdbcTemplate jdbc;

  public NodeProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  public void on(NodeRegisteredEvent e, @Timestamp Instant at) {
    jdbc.update(
        "INSERT INTO node_view (id, machine_key, node_key, ipv4, ipv6, hostname, given_name, user_id, tags, expiry,"
            + " pre_auth_key_id, created_at, register_method, ephemeral) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb,"
            + " ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET machine_key = EXCLUDED.machine_key,"
            + " node_key = EXCLUDED.node_key, ipv4 = EXCLUDED.ipv4, ipv6 = EXCLUDED.ipv6,"
            + " hostname = EXCLUDED.hostname, given_name = EXCLUDED.given_name, user_id = EXCLUDED.user_id,"
            + " tags = EXCLUDED.tags, expiry = EXCLUDED.expiry, pre_auth_key_id = EXCLUDED.pre_auth_key_id,"
            + " created_at = EXCLUDED.created_at, register_method = EXCLUDED.register_method,"
            + " ephemeral = EXCLUDED.ephemeral",
        e.nodeId(),
        e.machineKey(),
        e.nodeKey(),
        e.ipv4(),
        e.ipv6(),
        e.hostname(),
        e.givenName(),
        OwnerColumn.of(e.owner()),
        Json.writeList(e.tags()),
        ts(e.expiry()),
        e.preAuthKeyId(),
        ts(at),
        e.registerMethod() == null ? null : e.registerMethod().name(),
        e.ephemeral());
  }

  @EventHandler
  public void on(NodeHostnameChangedEvent e) {
    jdbc.update("UPDATE node_view SET hostname = ? WHERE id = ?", e.newHostname(), e.nodeId());
  }

  @EventHandler
  public void on(NodeRenamedEvent e) {
    jdbc.update("UPDATE node_view SET given_name = ? WHERE id = ?", e.newName(), e.nodeId());
  }

  @EventHandler
  public void on(NodeExpiryChangedEvent e) {
    jdbc.update("UPDATE node_view SET expiry = ? WHERE id = ?", ts(e.newExpiry()), e.nodeId());
  }

  @EventHandler
  public void on(NodeTagsChangedEvent e) {
    // a node with tags set is a tagged node, owned by tagged-devices, as in the Node aggregate
    jdbc.update(
        "UPDATE node_view SET tags = ?::jsonb, user_id = ? WHERE id = ?",
        Json.writeList(e.newTags()),
        OwnerColumn.of(Owner.TAGGED),
        e.nodeId());
  }

  @EventHandler
  public void on(NodeReauthenticatedEvent e) {
    jdbc.update(
        "UPDATE node_view SET node_key = ?, expiry = ? WHERE id = ?",
        e.newNodeKey(),
        ts(e.expiry()),
        e.nodeId());
  }

  @EventHandler
  public void on(NodeKeyRotatedEvent e) {
    jdbc.update(
        "UPDATE node_view SET node_key = ?, expiry = ? WHERE id = ?",
        e.newNodeKey(),
        ts(e.expiry()),
        e.nodeId());
  }

  @EventHandler
  public void on(NodeOwnershipTransferredEvent e) {
    List<String> tags = new ArrayList<>(findTags(e.nodeId()));
    if (e.removedTags() != null) {
      tags.removeAll(e.removedTags());
    }
    jdbc.update(
        "UPDATE node_view SET user_id = ?, tags = ?::jsonb WHERE id = ?",
        OwnerColumn.of(e.to()),
        Json.writeList(tags),
        e.nodeId());
  }

  @EventHandler
  public void on(NodeRoutesApprovedEvent e) {
    jdbc.update(
        "UPDATE node_view SET approved_routes = ?::jsonb WHERE id = ?",
        Json.writeList(e.newRoutes()),
        e.nodeId());
  }

  @EventHandler
  public void on(NodeRoutesAdvertisedEvent e) {
    jdbc.update(
        "UPDATE node_view SET available_routes = ?::jsonb WHERE id = ?",
        Json.writeList(e.newRoutes()),
        e.nodeId());
  }

  @EventHandler
  public void on(NodeDeletedEvent e) {
    jdbc.update("DELETE FROM node_view WHERE id = ?", e.nodeId());
  }

  @ResetHandler
  public void reset() {
    jdbc.update("DELETE FROM node_view");
  }

  @QueryHandler
  public List<NodeView> handle(FetchNodesQuery query) {
    if (query.userId() == null) {
      return jdbc.query(SELECT + " ORDER BY n.id", NodeProjection::view);
    }
    return jdbc.query(
        SELECT + " WHERE n.user_id = ? ORDER BY n.id", NodeProjection::view, query.userId());
  }

  @QueryHandler
  public NodeView handle(FindNodeQuery query) {
    List<NodeView> found =
        jdbc.query(SELECT + " WHERE n.id = ?", NodeProjection::view, query.nodeId());
    return found.isEmpty() ? null : found.get(0);
  }

  @QueryHandler
  public NodeView handle(FindNodeByNodeKeyQuery query) {
    if (query.nodeKey() == null) {
      return null;
    }
    List<Long> ids = jdbc.queryForList(BY_NODE_KEY, Long.class, query.nodeKey());
    return ids.isEmpty() ? null : handle(new FindNodeQuery(Collections.min(ids)));
  }

  /**
   * The ids of the nodes holding a node key, from the node_view_node_key index (lower() on both
   * sides). Asked alone, not joined and ordered by id: before the table's first ANALYZE (a fleet
   * registering) the planner walked the primary key in id order and lowered every node's key until
   * one matched, milliseconds a lookup at a few thousand nodes, on every map request.
   */
  static final String BY_NODE_KEY = "SELECT id FROM node_view WHERE lower(node_key) = lower(?)";

  @QueryHandler
  public List<NodeView> handle(FetchInactiveEphemeralNodesQuery query) {
    return jdbc.query(
        SELECT + " WHERE n.ephemeral AND COALESCE(c.last_seen, n.created_at) < ? ORDER BY n.id",
        NodeProjection::view,
        ts(query.cutoff()));
  }

  private List<String> findTags(long nodeId) {
    List<String> json =
        jdbc.queryForList("SELECT tags::text FROM node_view WHERE id = ?", String.class, nodeId);
    return json.isEmpty() ? List.of() : Json.readList(json.get(0));
  }

  private static NodeView view(ResultSet rs, int row) throws SQLException {
    List<String> addresses = new ArrayList<>(2);
    if (rs.getString("ipv4") != null) {
      addresses.add(rs.getString("ipv4"));
    }
    if (rs.getString("ipv6") != null) {
      addresses.add(rs.getString("ipv6"));
    }
    Owner owner = OwnerColumn.read(rs);
    long userId = owner.shownId();
    String userName = owner.shownName(rs.getString("user_name"));
    String method = rs.getString("register_method");
    return new NodeView(
        rs.getLong("id"),
        rs.getString("machine_key"),
        rs.getString("node_key"),
        rs.getString("conn_disco_key") != null
            ? rs.getString("conn_disco_key")
            : rs.getString("disco_key"),
        List.copyOf(addresses),
        rs.getString("hostname"),
        rs.getString("given_name"),
        userId,
        userName,
        Json.readList(rs.getString("tags")),
        instant(rs, "conn_last_seen") != null
            ? instant(rs, "conn_last_seen")
            : instant(rs, "last_seen"),
        instant(rs, "expiry"),
        nullableLong(rs, "pre_auth_key_id"),
        instant(rs, "created_at"),
        // Headscale's wire names (REGISTER_METHOD_AUTH_KEY, ...) so the REST layer can pass them
        // through
        method == null ? "REGISTER_METHOD_UNSPECIFIED" : "REGISTER_METHOD_" + method,
        rs.getBoolean("conn_online"),
        rs.getBoolean("ephemeral"),
        Json.readList(rs.getString("approved_routes")),
        Json.readList(rs.getString("available_routes")));
  }
}
