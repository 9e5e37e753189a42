// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.support;

import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.ts2021.ControlProtocol;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * A real Undertow listener on 127.0.0.1 (random port) serving /key and /ts2021 with the given Noise
 * router.
 */
public final class ControlServer implements AutoCloseable {
  public final ServerMachineKey key;
  private final Undertow undertow;

  public ControlServer(HttpHandler machineRouter) {
    this(new ServerMachineKey(Curve25519.generatePrivate(new SecureRandom())), machineRouter);
  }

  public ControlServer(ServerMachineKey key, HttpHandler machineRouter) {
    this(key, machineRouter, Duration.ofMinutes(5));
  }

  public ControlServer(ServerMachineKey key, HttpHandler machineRouter, Duration idleTimeout) {
    this(
        ControlProtocol.wrap(ResponseCodeHandler.HANDLE_404, key, machineRouter, idleTimeout), key);
  }

  public ControlServer(ServerMachineKey key, HttpHandler machineRouter, ResourceLimits limits) {
    this(ControlProtocol.wrap(ResponseCodeHandler.HANDLE_404, key, machineRouter, limits), key);
  }

  private ControlServer(HttpHandler root, ServerMachineKey key) {
    this.key = key;
    this.undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(root).build();
    undertow.start();
  }

  public int port() {
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
