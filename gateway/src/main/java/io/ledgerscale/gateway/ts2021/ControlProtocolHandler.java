// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ts2021;

import io.ledgerscale.gateway.key.KeyHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The outermost handler on the public listener: {@code /key} and {@code /ts2021} are answered by
 * native Undertow handlers (an upgrade cannot pass through the servlet stack); everything else goes
 * on to {@code next}.
 */
public final class ControlProtocolHandler implements HttpHandler {
  private final HttpHandler key;
  private final HttpHandler ts2021;
  private final HttpHandler next;

  public ControlProtocolHandler(HttpHandler key, HttpHandler ts2021, HttpHandler next) {
    this.key = key;
    this.ts2021 = ts2021;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRelativePath();
    if (KeyHandler.PATH.equals(path)) {
      key.handleRequest(exchange);
    } else if (Ts2021Handler.PATH.equals(path)) {
      ts2021.handleRequest(exchange);
    } else {
      next.handleRequest(exchange);
    }
  }
}
