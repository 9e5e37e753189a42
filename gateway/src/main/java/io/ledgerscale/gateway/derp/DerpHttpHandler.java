// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.limits.ResourceLimits;
import io.ledgerscale.gateway.limits.SourceCounter;
import io.ledgerscale.gateway.limits.SourceKey;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HexConverter;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.regex.Pattern;

/**
 * The relay's HTTP endpoints on the control server's listener, answered natively by Undertow in
 * front of {@code next} (an upgrade cannot pass through servlets): {@code /derp} (HTTP/1.1 {@code
 * Upgrade: DERP}, or a WebSocket with subprotocol {@code derp}: {@link WebSocketDerp}), {@code
 * /derp/probe} and {@code /derp/latency-check} (netcheck's HTTPS latency probes) and {@code
 * /generate_204} (the captive-portal check). Runs on the I/O thread.
 */
public final class DerpHttpHandler implements HttpHandler {
  public static final String PATH = "/derp";
  private static final HttpString DERP_VERSION = new HttpString("Derp-Version");
  private static final HttpString DERP_PUBLIC_KEY = new HttpString("Derp-Public-Key");
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString CHALLENGE = new HttpString("X-Tailscale-Challenge");
  private static final HttpString RESPONSE = new HttpString("X-Tailscale-Response");
  // Tailscale's server answers only a short challenge of these characters
  private static final long RETRY_AFTER_SECONDS = 30;
  private static final Pattern CHALLENGE_TEXT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final DerpRelay relay;
  private final HttpHandler next;
  private final String publicKeyHex;
  private final HttpHandler webSocket;
  private final SourceCounter connections;

  public DerpHttpHandler(DerpRelay relay, HttpHandler next) {
    this(relay, next, new SourceCounter(Integer.MAX_VALUE, 0));
  }

  /**
   * As above, with relay connections bounded in all and per source address by {@code connections}
   * (checked before the upgrade, so a refused client costs no curve operation or admission query).
   */
  public DerpHttpHandler(DerpRelay relay, HttpHandler next, SourceCounter connections) {
    this.relay = relay;
    this.next = next;
    this.connections = connections;
    this.webSocket = WebSocketDerp.handler(relay);
    this.publicKeyHex = HexConverter.convertToHexString(relay.publicKey());
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRelativePath();
    switch (path) {
      case PATH -> upgrade(exchange);
      case "/derp/probe", "/derp/latency-check" -> probe(exchange);
      case "/generate_204" -> noContent(exchange);
      default -> next.handleRequest(exchange);
    }
  }

  private void upgrade(HttpServerExchange exchange) throws Exception {
    String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
    String protocols = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_PROTOCOL);
    boolean ws =
        upgrade != null
            && upgrade.equalsIgnoreCase("websocket")
            && protocols != null
            && protocols.contains(WebSocketDerp.SUBPROTOCOL);
    if (!ws && (upgrade == null || !upgrade.equalsIgnoreCase("derp"))) {
      text(exchange, StatusCodes.UPGRADE_REQUIRED, "DERP requires connection upgrade");
      return;
    }
    if (!admit(exchange, ws ? ResourceLimits.FDS_PER_WEBSOCKET_SESSION : 1)) {
      return;
    }
    if (ws) {
      webSocket.handleRequest(exchange);
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONNECTION, "Upgrade");
    exchange.getResponseHeaders().put(DERP_VERSION, "2");
    exchange.getResponseHeaders().put(DERP_PUBLIC_KEY, publicKeyHex);
    exchange.upgradeChannel("DERP", (connection, ex) -> relay.accept(connection));
    exchange.endExchange();
  }

  /**
   * Takes a connection slot of {@code weight} (descriptors held) for the exchange's source until
   * its connection closes.
   */
  private boolean admit(HttpServerExchange exchange, int weight) {
    String source = SourceKey.of(exchange.getSourceAddress());
    SourceCounter.Permit permit = connections.tryAcquire(source, weight);
    if (permit == null) {
      boolean perSource = connections.refusal(source, weight) == SourceCounter.Refusal.SOURCE;
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
      exchange.setPersistent(false);
      text(
          exchange,
          perSource ? StatusCodes.TOO_MANY_REQUESTS : StatusCodes.SERVICE_UNAVAILABLE,
          perSource ? "too many relay connections from your address" : "relay at its limit");
      return false;
    }
    exchange.getConnection().addCloseListener(c -> permit.release());
    return true;
  }

  private static void text(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n");
  }

  private static void probe(HttpServerExchange exchange) {
    if (!Methods.GET.equals(exchange.getRequestMethod())
        && !Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(ALLOW_ORIGIN, "*");
    exchange.setStatusCode(StatusCodes.OK);
    exchange.endExchange();
  }

  private static void noContent(HttpServerExchange exchange) {
    String challenge = exchange.getRequestHeaders().getFirst(CHALLENGE);
    if (challenge != null && CHALLENGE_TEXT.matcher(challenge).matches()) {
      exchange.getResponseHeaders().put(RESPONSE, "response " + challenge);
    }
    exchange.setStatusCode(StatusCodes.NO_CONTENT);
    exchange.endExchange();
  }
}
