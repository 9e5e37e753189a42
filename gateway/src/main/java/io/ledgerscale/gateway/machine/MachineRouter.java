// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routes the requests a Tailscale client sends inside its Noise connection (method + exact path).
 */
public final class MachineRouter implements HttpHandler {
  private final Map<String, Map<HttpString, HttpHandler>> routes = new HashMap<>();
  private final Map<String, Map<HttpString, HttpHandler>> prefixes = new LinkedHashMap<>();

  public MachineRouter add(HttpString method, String path, HttpHandler handler) {
    routes.computeIfAbsent(path, p -> new HashMap<>()).put(method, handler);
    return this;
  }

  /** Every path under {@code prefix} (which ends in '/'), for URLs that carry ids in their path. */
  public MachineRouter addPrefix(HttpString method, String prefix, HttpHandler handler) {
    prefixes.computeIfAbsent(prefix, p -> new HashMap<>()).put(method, handler);
    return this;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    Map<HttpString, HttpHandler> byMethod = routes.get(exchange.getRelativePath());
    if (byMethod == null) {
      byMethod =
          prefixes.entrySet().stream()
              .filter(e -> exchange.getRelativePath().startsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
    }
    if (byMethod == null) {
      Responses.text(exchange, StatusCodes.NOT_FOUND, "not found");
      return;
    }
    HttpHandler h = byMethod.get(exchange.getRequestMethod());
    if (h == null && Methods.HEAD.equals(exchange.getRequestMethod())) {
      h = byMethod.get(Methods.GET);
    }
    if (h == null) {
      Responses.text(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method not allowed");
      return;
    }
    h.handleRequest(exchange);
  }
}
