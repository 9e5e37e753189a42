// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Map streams without a network, for driving the node map directly (the benchmark, map tests): each
 * collects the deltas it was sent. Registered through {@link MapStreams} as the HTTP handler
 * registers real ones.
 */
public final class InMemoryStreams {
  private InMemoryStreams() {}

  /** A stream that keeps what it was sent. */
  public static final class Collecting implements MapSink {
    public final List<MapResponse> sent = new CopyOnWriteArrayList<>();
    public volatile boolean closed;

    @Override
    public void send(MapResponse message) {
      sent.add(message);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  public static Collecting open(MapStreams streams, String nodeKey) {
    Collecting c = new Collecting();
    streams.register(nodeKey, c);
    return c;
  }
}
