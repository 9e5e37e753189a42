// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.query.FetchInactiveEphemeralNodesQuery;
import io.ledgerscale.domain.api.query.NodeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work of the map: last-seen heartbeats for open streams, re-reading the tailnet and
 * passing on what differs (so a key expiry that passed reaches the node and its peers), and
 * deleting ephemeral nodes offline longer than {@code node.ephemeral.inactivity_timeout}.
 * Everything is recomputed from the connectivity table on each run, so a restart loses no pending
 * deletion.
 */
public final class MapHousekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MapHousekeeping.class);

  private final NetworkMap map;
  private final ConnectivityStore connectivity;
  private final QueryGateway queries;
  private final CommandGateway commands;
  private final Duration ephemeralTimeout;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  public MapHousekeeping(
      NetworkMap map,
      ConnectivityStore connectivity,
      QueryGateway queries,
      CommandGateway commands,
      Duration ephemeralTimeout,
      Clock clock) {
    this.map = map;
    this.connectivity = connectivity;
    this.queries = queries;
    this.commands = commands;
    this.ephemeralTimeout = ephemeralTimeout;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "map-housekeeping");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the schedule: a heartbeat and refresh every {@code every}, the ephemeral sweep as often.
   */
  public MapHousekeeping start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void runSafely() {
    try {
      heartbeat();
      map.refreshNow();
      deleteInactiveEphemeralNodes();
    } catch (RuntimeException e) {
      log.warn("map housekeeping failed: {}", e.toString());
    }
  }

  void heartbeat() {
    Set<Long> connected = map.connectedNodes().join();
    if (!connected.isEmpty()) {
      connectivity.heartbeat(connected, clock.instant());
    }
  }

  /**
   * Deletes every ephemeral node last seen (or, never seen, created) longer ago than the timeout.
   * Only those candidates are read, not the tailnet; a node with an open stream here is kept even
   * if its last heartbeat is late.
   */
  public int deleteInactiveEphemeralNodes() {
    Instant cutoff = clock.instant().minus(ephemeralTimeout);
    Set<Long> connected = map.connectedNodes().join();
    List<NodeView> candidates =
        queries
            .query(
                new FetchInactiveEphemeralNodesQuery(cutoff),
                ResponseTypes.multipleInstancesOf(NodeView.class))
            .join();
    int deleted = 0;
    for (NodeView n : candidates) {
      if (!n.ephemeral() || connected.contains(n.id())) {
        continue;
      }
      Instant last = n.lastSeen() != null ? n.lastSeen() : n.createdAt();
      log.info("deleting ephemeral node {} ({}), offline since {}", n.id(), n.givenName(), last);
      try {
        commands.sendAndWait(
            GenericCommandMessage.asCommandMessage(new DeleteNodeCommand(n.id()))
                .andMetaData(AuditMetadata.system(Origin.SCHEDULER, "ephemeral-node-cleanup")));
        deleted++;
      } catch (RuntimeException e) {
        log.warn("ephemeral node {} not deleted: {}", n.id(), e.getMessage());
      }
    }
    return deleted;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
