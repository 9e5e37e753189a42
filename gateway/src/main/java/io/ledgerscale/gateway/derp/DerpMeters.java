// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The embedded relay's meters (docs/metrics.md); labels are fixed drop reasons only. */
public final class DerpMeters implements MeterBinder {
  private final DerpRelay relay;
  private final DerpMetrics m;

  public DerpMeters(DerpRelay relay, DerpMetrics metrics) {
    this.relay = relay;
    this.m = metrics;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("ledgerscale.derp.clients.connected", relay, DerpRelay::connectedClients)
        .description("admitted DERP connections on this instance")
        .register(registry);
    FunctionCounter.builder("ledgerscale.derp.packets.relayed", m, DerpMetrics::packetsRelayed)
        .description("packets handed to a destination client's connection")
        .register(registry);
    FunctionCounter.builder("ledgerscale.derp.relayed", m, DerpMetrics::bytesRelayed)
        .description("packet bytes relayed (payload, without DERP framing)")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    for (DropReason r : DropReason.values()) {
      FunctionCounter.builder("ledgerscale.derp.packets.dropped", m, x -> x.droppedPackets(r))
          .description("packets dropped, by reason")
          .tag("reason", r.label())
          .register(registry);
    }
    FunctionCounter.builder("ledgerscale.derp.connections.refused", m, DerpMetrics::refused)
        .description("DERP connections refused at admission (verify_clients)")
        .register(registry);
    FunctionCounter.builder(
            "ledgerscale.derp.connections.protocol.errors", m, DerpMetrics::protocolErrors)
        .description("DERP connections closed for breaking the protocol")
        .register(registry);
    FunctionCounter.builder(
            "ledgerscale.derp.packets.forwarded", m, DerpMetrics::packetsForwardedOut)
        .description("packets forwarded between meshed instances, by direction")
        .tag("direction", "out")
        .register(registry);
    FunctionCounter.builder(
            "ledgerscale.derp.packets.forwarded", m, DerpMetrics::packetsForwardedIn)
        .description("packets forwarded between meshed instances, by direction")
        .tag("direction", "in")
        .register(registry);
    Gauge.builder("ledgerscale.derp.mesh.links.up", relay, DerpRelay::meshLinksUp)
        .description("this instance's mesh links to other instances' relays that are up")
        .register(registry);
    Gauge.builder("ledgerscale.derp.mesh.watchers", relay, DerpRelay::meshWatchers)
        .description("other instances' relays watching this one's connections")
        .register(registry);
    Gauge.builder("ledgerscale.derp.mesh.remote.clients", relay, DerpRelay::remoteClients)
        .description("relay clients connected to other instances, as their relays announced")
        .register(registry);
    FunctionCounter.builder("ledgerscale.stun.requests", m, DerpMetrics::stunRequests)
        .description("STUN binding requests answered")
        .register(registry);
  }
}
