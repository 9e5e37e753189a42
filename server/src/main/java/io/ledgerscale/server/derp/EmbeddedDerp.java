// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.derp;

import io.ledgerscale.gateway.derp.AdmissionSweep;
import io.ledgerscale.gateway.derp.DerpRelay;
import io.ledgerscale.gateway.derp.MeshPeer;
import io.ledgerscale.gateway.derp.StunServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The embedded relay's parts with a life of their own: the STUN socket and the admission sweep run
 * while the server runs; on stop every relay connection is sent Restarting and closed (clients fail
 * over to another region or reconnect to the next instance). The mesh links to the other instances'
 * relays ({@code derp.server.mesh_with}) run while the server runs.
 */
public final class EmbeddedDerp implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDerp.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  private final DerpRelay relay;
  private final InetSocketAddress stunAddress;
  private final AdmissionSweep sweep;
  private final io.ledgerscale.gateway.derp.DerpMetrics metrics;
  private final List<URI> meshWith;
  private final List<MeshPeer> mesh = new ArrayList<>();
  private StunServer stun;
  private volatile boolean running;

  EmbeddedDerp(
      DerpRelay relay,
      InetSocketAddress stunAddress,
      AdmissionSweep sweep,
      io.ledgerscale.gateway.derp.DerpMetrics metrics,
      List<URI> meshWith) {
    this.relay = relay;
    this.meshWith = List.copyOf(meshWith);
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
    for (URI peer : meshWith) {
      if ("http".equalsIgnoreCase(peer.getScheme())) {
        log.warn(
            "derp.server.mesh_with: {} is plain http: whoever can intercept that path can learn"
                + " the mesh key; use https unless the network between instances is trusted",
            peer.getHost() + (peer.getPort() > 0 ? ":" + peer.getPort() : ""));
      }
      mesh.add(MeshPeer.start(relay, peer));
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    mesh.forEach(MeshPeer::close);
    mesh.clear();
    if (stun != null) {
      stun.close();
    }
    if (sweep != null) {
      sweep.close();
    }
    // before the listener stops, while the I/O threads can still write the Restarting frames
    relay.closeAll(CLOSE_WAIT);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
