// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Map streams without a network, for driving the node map directly (the benchmark, map tests): each
 * collects the deltas it was sent. Registered through {@link MapStreams} as the HTTP handler
 * registers real ones.
 */
public final class InMemoryStreams {
  private InMemoryStreams() {}

  /** A stream that keeps what it was sent. */
  public static class Collecting implements MapSink {
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

  /**
   * Opens a stream as the HTTP handler does: the first message is built with the stream attached,
   * then the stream is registered. Empty if the source does not serve that node.
   */
  public static Optional<Collecting> open(
      NetworkMapSource source, MapStreams streams, String machineKey, MapRequest request) {
    Collecting c = new Collecting();
    if (source.openStream(machineKey, request, c).join().isEmpty()) {
      return Optional.empty();
    }
    streams.register(request.nodeKey(), c);
    return Optional.of(c);
  }
}
