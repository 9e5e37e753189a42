// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.gateway.machine.MapSink;

/**
 * One map stream: its node, where its messages go, what it was last sent, and the last change it
 * was told of (see {@link ChangeQueue}).
 */
final class MapSession {
  final String nodeKey;
  final long nodeId;
  final MapSink sink;
  NodeMap sent;

  /** Registered as its node's stream (the node counts as connected here). */
  boolean open;

  /**
   * The number of the last queued change its view holds ({@link ChangeQueue#queued}): when its
   * first view was built, then when it was last evaluated. Worker thread only.
   */
  long toldUpTo;

  MapSession(String nodeKey, long nodeId, MapSink sink, NodeMap sent, long toldUpTo) {
    this.nodeKey = nodeKey;
    this.nodeId = nodeId;
    this.sink = sink;
    this.sent = sent;
    this.toldUpTo = toldUpTo;
  }
}
