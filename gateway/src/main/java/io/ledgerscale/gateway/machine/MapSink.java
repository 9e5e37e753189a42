// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapResponse;

/** Where a node's map deltas go: its open long-poll ({@link MapStream}). */
public interface MapSink {
  /** Sends one more message (a delta). Callable from any thread; ignored once closed. */
  void send(MapResponse message);

  /** Ends the stream; the client must start over with a complete map. */
  void close();
}
