// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.gateway.tailcfg.CapabilityVersion;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;

/** Small helpers to answer a request on the Noise API. */
final class Responses {
  private Responses() {}

  static void text(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(message + "\n");
  }

  /**
   * The node cannot be served yet, but will be: 503 with Retry-After, which every client honours by
   * asking again.
   */
  static void retryLater(HttpServerExchange exchange, String why) {
    exchange
        .getResponseHeaders()
        .put(Headers.RETRY_AFTER, Long.toString(MapHandler.RETRY_AFTER_SECONDS));
    text(
        exchange,
        StatusCodes.SERVICE_UNAVAILABLE,
        why + ", retry after " + MapHandler.RETRY_AFTER_SECONDS + " s");
  }

  /**
   * The server had no capacity to run the command; nothing changed. Clients from capability version
   * {@value CapabilityVersion#REGISTER_RATE_LIMIT} honour 429 with Retry-After; older ones treat
   * any non-200 as a failure and back off on their own, so they get 503, the status for a
   * temporarily unavailable server.
   */
  static void busy(HttpServerExchange exchange, int capabilityVersion, ServerBusyException busy) {
    long millis = busy.retryAfter() == null ? 0 : busy.retryAfter().toMillis();
    // never "retry now": a burst of immediate retries is what the server is short of
    long seconds = Math.max(1, (millis + 999) / 1000);
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(seconds));
    int status =
        capabilityVersion >= CapabilityVersion.REGISTER_RATE_LIMIT
            ? StatusCodes.TOO_MANY_REQUESTS
            : StatusCodes.SERVICE_UNAVAILABLE;
    String what = busy instanceof RegistrationLimits.Refused ? busy.getMessage() : "server busy";
    text(exchange, status, what + ", retry after " + seconds + " s");
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
