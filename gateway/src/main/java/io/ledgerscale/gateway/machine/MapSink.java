// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapResponse;

/** Where a node's map deltas go: its open long-poll ({@link MapStream}). */
public interface MapSink {
  /** Sends one more message (a delta). Callable from any thread; ignored once closed. */
  void send(MapResponse message);

  /** Ends the stream; the client must start over with a complete map. */
  void close();

  /**
   * Whether a message handed over earlier is not written out yet: the client, or this server, is
   * behind. If so, {@code caughtUp} runs once, on any thread, when it is; if not, it never runs.
   * The map holds the changes that follow back from a stream that is behind and tells them in one
   * message once it caught up, rather than piling up a message per change.
   */
  default boolean behind(Runnable caughtUp) {
    return false;
  }
}
