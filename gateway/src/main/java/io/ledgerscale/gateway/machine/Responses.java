// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/** Small helpers to answer a request on the Noise API. */
final class Responses {
  private Responses() {}

  static void text(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n");
  }

  static void json(HttpServerExchange exchange, int status, Object body) {
    byte[] bytes;
    try {
      bytes = TailcfgJson.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
  }
}
