// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.noise.Curve25519;
import io.undertow.Undertow;
import io.undertow.server.handlers.ResponseCodeHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/** A real Undertow listener on 127.0.0.1 serving only the relay's endpoints. */
final class RelayServer implements AutoCloseable {
  final DerpMetrics metrics = new DerpMetrics();
  final DerpRelay relay;
  private final Undertow undertow;

  RelayServer(DerpAdmission admission) {
    this(admission, new SourceCounter(Integer.MAX_VALUE, 0));
  }

  RelayServer(DerpAdmission admission, SourceCounter connections) {
    this(admission, connections, null);
  }

  /** A relay that takes {@code meshKey} (may be null) from its mesh peers. */
  RelayServer(DerpAdmission admission, SourceCounter connections, MeshKey meshKey) {
    relay =
        new DerpRelay(Curve25519.generatePrivate(new SecureRandom()), admission, metrics, meshKey);
    undertow =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(new DerpHttpHandler(relay, ResponseCodeHandler.HANDLE_404, connections))
            .build();
    undertow.start();
  }

  int port() {
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port() + "/derp";
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
