// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.connectivity;

import static io.ledgerscale.projections.support.Sql.instant;
import static io.ledgerscale.projections.support.Sql.ts;

import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.ConnectivityWrite;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.connectivity.PresenceChange;
import io.ledgerscale.projections.support.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code node_connectivity} table (ADR 0001). Every write is one upsert whose guards live in
 * SQL, so two instances racing on one node cannot move it back in time or replace a known disco key
 * with nothing.
 */
@Component
public class JdbcConnectivityStore implements ConnectivityStore, AutoCloseable {
  /** The LISTEN/NOTIFY channel; the payload is the node id only, receivers re-read the row. */
  static final String CHANNEL = "node_connectivity";

  private final JdbcTemplate jdbc;

  /**
   * Connectivity is what clients report again on their next request (ADR 0001), so its writes are
   * committed without waiting for the disk: each connecting client costs several writes on the
   * map's one thread, and a flush each made connecting a fleet wait on the disk. Each write runs in
   * a transaction of its own, never in a caller's, so no other write loses its durability.
   */
  private final TransactionTemplate unflushed;

  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private ConnectivityNotifications notifications;

  public JdbcConnectivityStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.unflushed =
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    unflushed.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** Runs {@code work} in a transaction of its own whose commit does not wait for the disk. */
  private <T> T unflushed(java.util.function.Supplier<T> work) {
    return unflushed.execute(
        status -> {
          jdbc.execute("SET LOCAL synchronous_commit = off");
          return work.get();
        });
  }

  @Override
  public synchronized void onChange(LongConsumer listener) {
    listeners.add(listener);
    if (notifications == null) {
      notifications =
          ConnectivityNotifications.start(
              jdbc.getDataSource(),
              CHANNEL,
              id -> {
                for (LongConsumer l : listeners) {
                  l.accept(id);
                }
              });
    }
  }

  @Override
  public synchronized void close() {
    if (notifications != null) {
      notifications.close();
      notifications = null;
    }
  }

  private void announce(long nodeId) {
    jdbc.queryForList("SELECT pg_notify(?, ?)", CHANNEL, Long.toString(nodeId));
  }

  @Override
  public NodeConnectivity report(ConnectivityReport r) {
    return unflushed(
        () -> {
          upsert(r);
          announce(r.nodeId());
          return find(r.nodeId()).orElseThrow();
        });
  }

  @Override
  public void writeAll(List<ConnectivityWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    Set<Long> written = new LinkedHashSet<>();
    unflushed(
        () -> {
          for (ConnectivityWrite w : writes) {
            if (w instanceof ConnectivityReport r) {
              upsert(r);
            } else if (w instanceof PresenceChange p) {
              markOnline(p.nodeId(), p.online(), p.instanceId(), p.at());
            }
            written.add(w.nodeId());
          }
          // one statement tells every listener of every node written
          jdbc.queryForList(
              "SELECT pg_notify(?, id::text) FROM unnest(?::bigint[]) AS id",
              CHANNEL,
              idArray(written));
          return null;
        });
  }

  private static String idArray(Collection<Long> ids) {
    StringBuilder out = new StringBuilder("{");
    for (Long id : ids) {
      out.append(out.length() > 1 ? "," : "").append(id.longValue());
    }
    return out.append('}').toString();
  }

  private void upsert(ConnectivityReport r) {
    String disco = r.knownDiscoKey();
    jdbc.update(
        "INSERT INTO node_connectivity AS c (node_id, endpoints, disco_key, home_derp, hostinfo, last_seen,"
            + " instance_id, updated_at) VALUES (?, COALESCE(?::jsonb, '[]'::jsonb), ?, ?, ?::jsonb, ?, ?, ?)"
            + " ON CONFLICT (node_id) DO UPDATE SET"
            + " endpoints = CASE WHEN ?::jsonb IS NULL THEN c.endpoints ELSE EXCLUDED.endpoints END,"
            + " disco_key = COALESCE(EXCLUDED.disco_key, c.disco_key),"
            + " home_derp = COALESCE(EXCLUDED.home_derp, c.home_derp),"
            + " hostinfo = COALESCE(EXCLUDED.hostinfo, c.hostinfo),"
            + " last_seen = GREATEST(EXCLUDED.last_seen, c.last_seen),"
            + " instance_id = EXCLUDED.instance_id, updated_at = EXCLUDED.updated_at"
            + " WHERE c.updated_at <= EXCLUDED.updated_at",
        r.nodeId(),
        r.endpoints() == null ? null : Json.writeList(r.endpoints()),
        disco,
        r.homeDerp(),
        r.hostinfo(),
        ts(r.at()),
        r.instanceId(),
        ts(r.at()),
        r.endpoints() == null ? null : Json.writeList(r.endpoints()));
  }

  @Override
  public void setOnline(long nodeId, boolean online, String instanceId, Instant at) {
    unflushed(
        () -> {
          markOnline(nodeId, online, instanceId, at);
          announce(nodeId);
          return null;
        });
  }

  private void markOnline(long nodeId, boolean online, String instanceId, Instant at) {
    // going offline only counts from the instance that holds the session: a newer session elsewhere
    // wins
    jdbc.update(
        "INSERT INTO node_connectivity AS c (node_id, online, last_seen, instance_id, updated_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET online = EXCLUDED.online,"
            + " last_seen = GREATEST(EXCLUDED.last_seen, c.last_seen), instance_id = EXCLUDED.instance_id,"
            + " updated_at = EXCLUDED.updated_at"
            + " WHERE c.updated_at <= EXCLUDED.updated_at AND (EXCLUDED.online OR c.instance_id IS NULL"
            + " OR c.instance_id = EXCLUDED.instance_id)",
        nodeId,
        online,
        ts(at),
        instanceId,
        ts(at));
  }

  @Override
  public void heartbeat(Collection<Long> nodeIds, Instant at) {
    if (nodeIds.isEmpty()) {
      return;
    }
    String array = idArray(nodeIds);
    // one statement for every session of this instance, not one commit each
    unflushed(
        () ->
            jdbc.update(
                "UPDATE node_connectivity SET last_seen = GREATEST(last_seen, ?)"
                    + " WHERE node_id = ANY (?::bigint[])",
                ts(at),
                array));
  }

  @Override
  public Optional<NodeConnectivity> find(long nodeId) {
    List<NodeConnectivity> rows =
        jdbc.query(
            "SELECT * FROM node_connectivity WHERE node_id = ?",
            JdbcConnectivityStore::row,
            nodeId);
    return rows.stream().findFirst();
  }

  @Override
  public Map<Long, NodeConnectivity> findAll(Collection<Long> nodeIds) {
    Map<Long, NodeConnectivity> out = new LinkedHashMap<>();
    if (nodeIds.isEmpty()) {
      return out;
    }
    jdbc.query(
            "SELECT * FROM node_connectivity WHERE node_id = ANY (?::bigint[])",
            JdbcConnectivityStore::row,
            idArray(nodeIds))
        .forEach(c -> out.put(c.nodeId(), c));
    return out;
  }

  @Override
  public Map<Long, NodeConnectivity> all() {
    Map<Long, NodeConnectivity> out = new LinkedHashMap<>();
    jdbc.query("SELECT * FROM node_connectivity ORDER BY node_id", JdbcConnectivityStore::row)
        .forEach(c -> out.put(c.nodeId(), c));
    return out;
  }

  @Override
  public void forget(long nodeId) {
    jdbc.update("DELETE FROM node_connectivity WHERE node_id = ?", nodeId);
  }

  private static NodeConnectivity row(ResultSet rs, int n) throws SQLException {
    int derp = rs.getInt("home_derp");
    Integer homeDerp = rs.wasNull() ? null : derp;
    return new NodeConnectivity(
        rs.getLong("node_id"),
        Json.readList(rs.getString("endpoints")),
        rs.getString("disco_key"),
        homeDerp,
        rs.getString("hostinfo"),
        rs.getBoolean("online"),
        instant(rs, "last_seen"),
        rs.getString("instance_id"),
        instant(rs, "updated_at"));
  }
}
