// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.history;

import io.ledgerscale.domain.api.connectivity.ConnectivityReport;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.connectivity.ConnectivityWrite;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.query.NodeView;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * What clients report (endpoints, DERP home, online, disco key) is not recorded as events, so a
 * past network has none of it. The map builder leaves out a peer whose client has not reported a
 * disco key; a past map instead lists every peer the node's policy gave it, each offline, without
 * endpoints, with a zero disco key. (Live, a peer whose client had never connected yet was left
 * out.)
 */
final class PastConnectivity implements ConnectivityStore {
  private final Map<Long, NodeConnectivity> rows = new TreeMap<>();

  PastConnectivity(List<NodeView> nodes) {
    for (NodeView n : nodes) {
      rows.put(
          n.id(),
          new NodeConnectivity(
              n.id(),
              List.of(),
              ConnectivityReport.ZERO_DISCO_KEY,
              null,
              null,
              false,
              null,
              null,
              null));
    }
  }

  @Override
  public NodeConnectivity report(ConnectivityReport report) {
    throw new UnsupportedOperationException("a past network takes no reports");
  }

  @Override
  public void setOnline(long nodeId, boolean online, String instanceId, Instant at) {
    throw new UnsupportedOperationException("a past network takes no reports");
  }

  @Override
  public void writeAll(List<ConnectivityWrite> writes) {
    throw new UnsupportedOperationException("a past network takes no reports");
  }

  @Override
  public Map<Long, NodeConnectivity> findAll(Collection<Long> nodeIds) {
    Map<Long, NodeConnectivity> out = new TreeMap<>();
    nodeIds.forEach(
        id -> {
          if (rows.containsKey(id)) {
            out.put(id, rows.get(id));
          }
        });
    return out;
  }

  @Override
  public void heartbeat(Collection<Long> nodeIds, Instant at) {}

  @Override
  public Optional<NodeConnectivity> find(long nodeId) {
    return Optional.ofNullable(rows.get(nodeId));
  }

  @Override
  public Map<Long, NodeConnectivity> all() {
    return Map.copyOf(rows);
  }

  @Override
  public void forget(long nodeId) {}

  @Override
  public void onChange(LongConsumer listener) {}
}
