// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.key.KeyHandler;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.noise.HandshakeCounts;
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
    return wrap(next, key, machineRouter, ResourceLimits.defaults());
  }

  /**
   * As above with the default limits, but a Noise session is closed after {@code idleTimeout} (or
   * the handshake timeout, if shorter) without a request, or without traffic.
   */
  public static HttpHandler wrap(
      HttpHandler next, ServerMachineKey key, HttpHandler machineRouter, Duration idleTimeout) {
    ResourceLimits d = ResourceLimits.defaults();
    Duration handshake =
        idleTimeout.compareTo(d.noiseHandshakeTimeout()) < 0
            ? idleTimeout
            : d.noiseHandshakeTimeout();
    return wrap(
        next,
        key,
        machineRouter,
        new ResourceLimits(
            d.requestHeaderTimeout(),
            d.noRequestTimeout(),
            idleTimeout,
            handshake,
            idleTimeout,
            d.maxNoiseSessions(),
            d.maxNoiseSessionsPerSource(),
            d.registrationsPerMinutePerSource(),
            d.registrationBurstPerSource(),
            d.maxPendingRegistrations(),
            d.maxPendingRegistrationsPerSource()));
  }

  /** As above, with the session timeouts and caps of {@code limits}. */
  public static HttpHandler wrap(
      HttpHandler next, ServerMachineKey key, HttpHandler machineRouter, ResourceLimits limits) {
    return wrap(next, key, machineRouter, limits, new HandshakeCounts());
  }

  /** As above, counting the Noise handshakes in {@code handshakes}. */
  public static HttpHandler wrap(
      HttpHandler next,
      ServerMachineKey key,
      HttpHandler machineRouter,
      ResourceLimits limits,
      HandshakeCounts handshakes) {
    SecureRandom random = new SecureRandom();
    NoiseHttp2Server http2 =
        new NoiseHttp2Server(new DefaultByteBufferPool(true, 16 * 1024, -1, 4), machineRouter);
    Ts2021Handler ts2021 =
        new Ts2021Handler(
            new NoiseResponder(key.privateKey(), random, handshakes),
            http2,
            random,
            new SessionTimeouts(
                limits.noiseHandshakeTimeout(),
                limits.noiseIdleTimeout(),
                limits.connectionIdleTimeout()),
            new SourceCounter(
                limits.effectiveMaxNoiseSessions(), limits.maxNoiseSessionsPerSource()));
    return new ControlProtocolHandler(new KeyHandler(key), ts2021, next);
  }
}
