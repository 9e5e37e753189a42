// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.machine.MapSink;

/**
 * One map stream: its node, where its messages go, what it was last sent, and what changed for it
 * since (coalesced until the next flush, see {@link ChangeQueue}).
 */
final class MapSession {
  final String nodeKey;
  final long nodeId;
  final MapSink sink;
  NodeMap sent;

  /** Registered as its node's stream (the node counts as connected here). */
  boolean open;

  /**
   * How many changes had been queued when its first view was built ({@link ChangeQueue#queued}):
   * that view holds them, so a flush passes on only later ones.
   */
  final long changesInFirstView;

  MapSession(String nodeKey, long nodeId, MapSink sink, NodeMap sent, long changesInFirstView) {
    this.nodeKey = nodeKey;
    this.nodeId = nodeId;
    this.sink = sink;
    this.sent = sent;
    this.changesInFirstView = changesInFirstView;
  }
}
