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
   * behind. The map then holds the changes that follow back and tells them in one message once the
   * stream caught up, rather than piling up a message per change.
   */
  default boolean backlogged() {
    return false;
  }

  /**
   * Runs {@code caughtUp} once, on any thread, when the stream is no longer {@link #backlogged};
   * false, and it never runs, when the stream is not backlogged now.
   */
  default boolean whenCaughtUp(Runnable caughtUp) {
    return false;
  }
}
