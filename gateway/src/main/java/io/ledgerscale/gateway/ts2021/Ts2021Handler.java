// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.limits.SourceKey;
import io.ledgerscale.gateway.noise.EarlyPayload;
import io.ledgerscale.gateway.noise.NoiseException;
import io.ledgerscale.gateway.noise.NoiseMessages;
import io.ledgerscale.gateway.noise.NoiseResponder;
import io.ledgerscale.gateway.noise.NoiseSession;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.security.SecureRandom;
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
  static final AttachmentKey<SourceCounter.Permit> SESSION_PERMIT =
      AttachmentKey.create(SourceCounter.Permit.class);
  // long enough that a refused client does not come straight back, short enough to recover soon
  private static final long RETRY_AFTER_SECONDS = 30;

  private final NoiseResponder responder;
  private final NoiseHttp2Server http2;
  private final SecureRandom random;
  private final SessionTimeouts timeouts;
  private final SourceCounter sessions;
  private final HttpHandler webSocket;

  Ts2021Handler(
      NoiseResponder responder,
      NoiseHttp2Server http2,
      SecureRandom random,
      SessionTimeouts timeouts,
      SourceCounter sessions) {
    this.responder = responder;
    this.http2 = http2;
    this.random = random;
    this.timeouts = timeouts;
    this.sessions = sessions;
    this.webSocket = WebSocketTs2021.handler(responder, http2, timeouts);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
    if (upgrade != null
        && upgrade.equalsIgnoreCase("websocket")
        && Methods.GET.equals(exchange.getRequestMethod())) {
      if (admit(exchange, ResourceLimits.FDS_PER_WEBSOCKET_SESSION) != null) {
        webSocket.handleRequest(exchange);
      }
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
    // before the curve operations: a refused session costs the server as little as possible
    SourceCounter.Permit permit = admit(exchange, 1);
    if (permit == null) {
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
      permit.release();
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
            permit.release();
            if (error.length == 0) {
              IoUtils.safeClose(connection);
            } else {
              NoiseTunnel.refuse(connection, error);
            }
            return;
          }
          try {
            SessionActivity activity = new SessionActivity(System.nanoTime());
            NoiseTunnel.start(
                connection,
                established,
                EarlyPayload.withFreshChallenge(random),
                http2.openListener(established, connection.getPeerAddress(), activity),
                timeouts,
                activity,
                permit::release);
          } catch (Exception e) {
            log.warn(
                "cannot start the Noise tunnel for {}: {}",
                connection.getPeerAddress(),
                e.toString());
            permit.release();
            IoUtils.safeClose(connection);
          }
        });
    exchange.endExchange();
  }

  /**
   * A session slot of {@code weight} (descriptors held) for the exchange's source, released when
   * its connection closes (the tunnel releases it too; a permit counts once); null after answering
   * that there is none.
   */
  private SourceCounter.Permit admit(HttpServerExchange exchange, int weight) {
    String source = SourceKey.of(exchange.getSourceAddress());
    SourceCounter.Permit permit = sessions.tryAcquire(source, weight);
    if (permit == null) {
      SourceCounter.Refusal why = sessions.refusal(source, weight);
      log.debug("Noise session from {} refused: {} session limit", source, why);
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
      exchange.setPersistent(false);
      if (why == SourceCounter.Refusal.SOURCE) {
        reject(exchange, StatusCodes.TOO_MANY_REQUESTS, "too many sessions from your address");
      } else {
        reject(exchange, StatusCodes.SERVICE_UNAVAILABLE, "server at its session limit");
      }
      return null;
    }
    exchange.getConnection().addCloseListener(c -> permit.release());
    exchange.putAttachment(SESSION_PERMIT, permit);
    return permit;
  }

  private static void reject(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n");
  }
}
