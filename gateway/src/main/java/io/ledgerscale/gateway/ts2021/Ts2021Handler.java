// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.noise.EarlyPayload;
import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.NoiseMessages;
import io.ledgerscale.gateway.noise.NoiseResponder;
import io.ledgerscale.gateway.noise.NoiseSession;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * {@code POST /ts2021}: Tailscale's HTTP/1.1 upgrade to the Noise control protocol. The initiation
 * comes in the X-Tailscale-Handshake header; after the 101 the server writes the Noise response and
 * the early payload, then serves HTTP/2 (prior knowledge) inside the encrypted stream. {@code GET}
 * with {@code Upgrade: websocket} is the browser variant ({@link WebSocketTs2021}).
 *
 * <p>Runs on the I/O thread and never blocks: the handshake is a few curve operations.
 */
public final class Ts2021Handler implements HttpHandler {
  public static final String PATH = "/ts2021";
  public static final String UPGRADE_PROTOCOL = "tailscale-control-protocol";
  static final HttpString HANDSHAKE_HEADER = new HttpString("X-Tailscale-Handshake");
  private static final Logger log = LoggerFactory.getLogger(Ts2021Handler.class);

  private final NoiseResponder responder;
  private final NoiseHttp2Server http2;
  private final SecureRandom random;
  private final Duration idleTimeout;
  private final HttpHandler webSocket;

  public Ts2021Handler(
      NoiseResponder responder, NoiseHttp2Server http2, SecureRandom random, Duration idleTimeout) {
    this.responder = responder;
    this.http2 = http2;
    this.random = random;
    this.idleTimeout = idleTimeout;
    this.webSocket = WebSocketTs2021.handler(responder, http2, idleTimeout);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
    if (upgrade != null
        && upgrade.equalsIgnoreCase("websocket")
        && Methods.GET.equals(exchange.getRequestMethod())) {
      webSocket.handleRequest(exchange);
      return;
    }
    if (!Methods.POST.equals(exchange.getRequestMethod())
        && !Methods.GET.equals(exchange.getRequestMethod())) {
      reject(
          exchange, StatusCodes.METHOD_NOT_ALLOWED, "use POST with Upgrade: " + UPGRADE_PROTOCOL);
      return;
    }
    if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).equals(UPGRADE_PROTOCOL)) {
      reject(exchange, StatusCodes.BAD_REQUEST, "missing or unsupported Upgrade header");
      return;
    }
    String header = exchange.getRequestHeaders().getFirst(HANDSHAKE_HEADER);
    byte[] initiation;
    try {
      initiation = header == null ? null : Base64.getDecoder().decode(header.trim());
    } catch (IllegalArgumentException e) {
      initiation = null;
    }
    if (initiation == null || initiation.length == 0) {
      reject(
          exchange, StatusCodes.BAD_REQUEST, "missing or malformed X-Tailscale-Handshake header");
      return;
    }
    NoiseSession session;
    byte[] refusal;
    try {
      session = responder.respond(initiation);
      refusal = null;
    } catch (NoiseException e) {
      log.debug("Noise handshake from {} refused: {}", exchange.getSourceAddress(), e.getMessage());
      session = null;
      // Tailscale's server answers framing mistakes with an error message and crypto failures with
      // silence.
      refusal = e.clientHint() == null ? new byte[0] : NoiseMessages.error(e.clientHint());
    }
    if (session != null && session.protocolVersion() < CapabilityVersion.MINIMUM_SUPPORTED) {
      // The version is bound into the handshake's prologue, so this is what the client really
      // speaks. Answering
      // before the upgrade lets the client print the reason instead of a dropped connection.
      reject(
          exchange,
          StatusCodes.BAD_REQUEST,
          "unsupported client version: "
              + session.protocolVersion()
              + "; the oldest supported is "
              + CapabilityVersion.MINIMUM_SUPPORTED
              + " (Tailscale v1.80)");
      return;
    }
    NoiseSession established = session;
    byte[] error = refusal;
    exchange.getResponseHeaders().put(Headers.CONNECTION, "upgrade");
    exchange.upgradeChannel(
        UPGRADE_PROTOCOL,
        (connection, ex) -> {
          if (established == null) {
            if (error.length == 0) {
              IoUtils.safeClose(connection);
            } else {
              NoiseTunnel.refuse(connection, error);
            }
            return;
          }
          try {
            NoiseTunnel.start(
                connection,
                established,
                EarlyPayload.withFreshChallenge(random),
                http2.openListener(established, connection.getPeerAddress()),
                idleTimeout);
          } catch (Exception e) {
            log.warn(
                "cannot start the Noise tunnel for {}: {}",
                connection.getPeerAddress(),
                e.toString());
            IoUtils.safeClose(connection);
          }
        });
    exchange.endExchange();
  }

  private static void reject(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n");
  }
}
