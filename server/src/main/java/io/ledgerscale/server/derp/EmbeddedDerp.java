// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.derp;

import io.ledgerscale.gateway.derp.AdmissionSweep;
import io.ledgerscale.gateway.derp.DerpRelay;
import io.ledgerscale.gateway.derp.StunServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded relay's parts with a life of their own: the STUN socket and the admission sweep run
 * while the server runs; on stop every relay connection is closed (clients fail over to another
 * region or reconnect to the next instance).
 */
public final class EmbeddedDerp implements SmartLifecycle {
  private final DerpRelay relay;
  private final InetSocketAddress stunAddress;
  private final AdmissionSweep sweep;
  private final io.ledgerscale.gateway.derp.DerpMetrics metrics;
  private StunServer stun;
  private volatile boolean running;

  EmbeddedDerp(
      DerpRelay relay,
      InetSocketAddress stunAddress,
      AdmissionSweep sweep,
      io.ledgerscale.gateway.derp.DerpMetrics metrics) {
    this.relay = relay;
    this.stunAddress = stunAddress;
    this.sweep = sweep;
    this.metrics = metrics;
  }

  public DerpRelay relay() {
    return relay;
  }

  @Override
  public void start() {
    if (stunAddress != null) {
      try {
        stun = StunServer.start(stunAddress, metrics);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (sweep != null) {
      sweep.start();
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (stun != null) {
      stun.close();
    }
    if (sweep != null) {
      sweep.close();
    }
    relay.closeAll();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
