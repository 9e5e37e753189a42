// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Deque;

/**
 * {@code GET /key?v=<capability version>}: the server's Noise public key, as
 * tailcfg.OverTLSPublicKeyResponse. Like Headscale: no or non-numeric {@code v} is a 400; clients
 * older than capability 39 (pre-Noise-over-any-port) get an empty 200; the legacy (NaCl transport)
 * key is always the zero key.
 */
public final class KeyHandler implements HttpHandler {
  public static final String PATH = "/key";
  static final int NOISE_CAPABILITY_VERSION = 39;
  private static final String ZERO_KEY = KeyText.format(KeyText.MACHINE_PUBLIC, new byte[32]);

  private final String body;

  public KeyHandler(ServerMachineKey key) {
    this.body =
        "{\"legacyPublicKey\":\"" + ZERO_KEY + "\",\"publicKey\":\"" + key.publicKeyText() + "\"}";
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (!Methods.GET.equals(exchange.getRequestMethod())
        && !Methods.HEAD.equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      send(
          exchange,
          StatusCodes.METHOD_NOT_ALLOWED,
          "text/plain; charset=utf-8",
          "method not allowed\n");
      return;
    }
    Deque<String> v = exchange.getQueryParameters().get("v");
    int version;
    try {
      version = Integer.parseInt(v == null || v.isEmpty() ? "" : v.getFirst());
    } catch (NumberFormatException e) {
      send(
          exchange,
          StatusCodes.BAD_REQUEST,
          "text/plain; charset=utf-8",
          "invalid or missing v parameter\n");
      return;
    }
    if (version < NOISE_CAPABILITY_VERSION) {
      send(exchange, StatusCodes.OK, "text/plain; charset=utf-8", "");
      return;
    }
    send(exchange, StatusCodes.OK, "application/json", body);
  }

  private static void send(HttpServerExchange exchange, int status, String type, String text) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    exchange.getResponseSender().send(text);
  }
}
