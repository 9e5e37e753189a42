// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.connectivity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The port through which the gateway keeps client-reported connectivity state (ADR 0001).
 * Implemented beside the read models; the edges never see its storage.
 */
public interface ConnectivityStore {

  /**
   * Records a report (an upsert that never goes back in time) and answers the row as stored
   * afterwards.
   */
  NodeConnectivity report(ConnectivityReport report);

  /**
   * Marks a node online (a session opened on {@code instanceId}) or offline (its session ended
   * there).
   */
  void setOnline(long nodeId, boolean online, String instanceId, Instant at);

  /**
   * Refreshes last seen for nodes whose sessions are still open, so a crashed instance's nodes age
   * out.
   */
  void heartbeat(Collection<Long> nodeIds, Instant at);

  /**
   * Records the writes in their order, as one batch (each as {@link ConnectivityWrite#applyTo}
   * says, never going back in time), and tells the listeners of every node written once.
   */
  void writeAll(List<ConnectivityWrite> writes);

  Optional<NodeConnectivity> find(long nodeId);

  /** The rows of the given nodes that exist, in one read. */
  Map<Long, NodeConnectivity> findAll(Collection<Long> nodeIds);

  Map<Long, NodeConnectivity> all();

  /** Drops a deleted node's row. */
  void forget(long nodeId);

  /**
   * Calls {@code listener} with the node id of every change any instance sharing the database makes
   * (its own included), so each instance can push the change to the peers it holds streams for.
   */
  void onChange(LongConsumer listener);
}
