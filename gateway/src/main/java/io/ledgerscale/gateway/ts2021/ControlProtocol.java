// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.key.KeyHandler;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.noise.NoiseResponder;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Assembles the public control-protocol endpoints (/key, /ts2021) in front of whatever else the
 * listener serves.
 */
public final class ControlProtocol {
  private ControlProtocol() {}

  /**
   * @param next the handler for every other path (in Spring Boot: the servlet deployment)
   * @param machineRouter the handler for requests inside Noise connections (/machine/...)
   */
  public static HttpHandler wrap(
      HttpHandler next, ServerMachineKey key, HttpHandler machineRouter) {
    return wrap(next, key, machineRouter, NoiseTunnel.DEFAULT_IDLE_TIMEOUT);
  }

  /** As above; a Noise connection without traffic either way for {@code idleTimeout} is closed. */
  public static HttpHandler wrap(
      HttpHandler next, ServerMachineKey key, HttpHandler machineRouter, Duration idleTimeout) {
    SecureRandom random = new SecureRandom();
    NoiseHttp2Server http2 =
        new NoiseHttp2Server(new DefaultByteBufferPool(true, 16 * 1024, -1, 4), machineRouter);
    Ts2021Handler ts2021 =
        new Ts2021Handler(new NoiseResponder(key.privateKey(), random), http2, random, idleTimeout);
    return new ControlProtocolHandler(new KeyHandler(key), ts2021, next);
  }
}
