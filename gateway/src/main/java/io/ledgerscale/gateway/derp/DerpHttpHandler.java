// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

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
  private static final Pattern CHALLENGE_TEXT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final DerpRelay relay;
  private final HttpHandler next;
  private final String publicKeyHex;
  private final HttpHandler webSocket;

  public DerpHttpHandler(DerpRelay relay, HttpHandler next) {
    this.relay = relay;
    this.next = next;
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
    if (upgrade != null
        && upgrade.equalsIgnoreCase("websocket")
        && protocols != null
        && protocols.contains(WebSocketDerp.SUBPROTOCOL)) {
      webSocket.handleRequest(exchange);
      return;
    }
    if (upgrade == null || !upgrade.equalsIgnoreCase("derp")) {
      exchange.setStatusCode(StatusCodes.UPGRADE_REQUIRED);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
      exchange.getResponseSender().send("DERP requires connection upgrade\n");
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONNECTION, "Upgrade");
    exchange.getResponseHeaders().put(DERP_VERSION, "2");
    exchange.getResponseHeaders().put(DERP_PUBLIC_KEY, publicKeyHex);
    exchange.upgradeChannel("DERP", (connection, ex) -> relay.accept(connection));
    exchange.endExchange();
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
