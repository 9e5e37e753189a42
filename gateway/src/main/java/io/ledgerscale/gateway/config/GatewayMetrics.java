// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.config;

import io.ledgerscale.gateway.machine.MapSink;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.machine.MapTraffic;
import io.ledgerscale.gateway.noise.HandshakeCounts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control protocol's meters (documented in docs/metrics.md): nodes and streams connected to
 * this instance, map traffic, Noise handshakes. Labels take a handful of fixed values; a node, key
 * or user never becomes a label.
 */
public final class GatewayMetrics implements MeterBinder {
  private final MapStreams streams;
  private final HandshakeCounts handshakes;

  /**
   * Streams open now, the replaced ones that have not closed yet included: a client that reconnects
   * has two for a moment, while it counts once among the connected nodes.
   */
  private final Set<MapSink> open = ConcurrentHashMap.newKeySet();

  public GatewayMetrics(MapStreams streams, HandshakeCounts handshakes) {
    this.streams = streams;
    this.handshakes = handshakes;
    streams.addListener(
        new MapStreams.Listener() {
          @Override
          public void opened(String nodeKey, MapSink stream) {
            open.add(stream);
          }

          @Override
          public void closed(String nodeKey, MapSink stream, boolean wasCurrent) {
            open.remove(stream);
          }
        });
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("ledgerscale.nodes.connected", streams, MapStreams::size)
        .description("nodes with an open map stream on this instance")
        .register(registry);
    Gauge.builder("ledgerscale.map.streams.open", open, Set::size)
        .description("map streams open on this instance, replaced ones not yet closed included")
        .register(registry);
    MapTraffic traffic = streams.traffic();
    for (MapTraffic.Kind kind : MapTraffic.Kind.values()) {
      FunctionCounter.builder("ledgerscale.map.messages", traffic, t -> t.messages(kind))
          .description("map messages sent (full, delta, keepalive)")
          .tag("kind", kind.label())
          .register(registry);
      FunctionCounter.builder("ledgerscale.map.sent", traffic, t -> t.bytes(kind))
          .description("map message bytes sent, framed and compressed as on the wire")
          .baseUnit(BaseUnits.BYTES)
          .tag("kind", kind.label())
          .register(registry);
    }
    FunctionCounter.builder(
            "ledgerscale.noise.handshakes", handshakes, HandshakeCounts::completedCount)
        .description("Noise handshakes completed")
        .register(registry);
    FunctionCounter.builder(
            "ledgerscale.noise.handshake.failures", handshakes, HandshakeCounts::malformedCount)
        .description("Noise handshakes refused")
        .tag("reason", "malformed")
        .register(registry);
    FunctionCounter.builder(
            "ledgerscale.noise.handshake.failures", handshakes, HandshakeCounts::undecryptableCount)
        .description("Noise handshakes refused")
        .tag("reason", "undecryptable")
        .register(registry);
  }
}
