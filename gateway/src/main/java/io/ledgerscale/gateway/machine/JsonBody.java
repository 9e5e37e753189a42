// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.function.BiConsumer;
import org.xnio.IoUtils;

/**
 * Reads a request body (at most 1 MiB, like Headscale) without blocking and parses it as JSON. Too
 * big is a 413, unparseable a 400; in both cases nothing is dispatched.
 */
final class JsonBody {
  private JsonBody() {}

  static <T> void read(
      HttpServerExchange exchange, Class<T> type, BiConsumer<HttpServerExchange, T> then) {
    long declared = exchange.getRequestContentLength();
    if (declared > NoisePeer.MAX_REQUEST_BODY) {
      Responses.text(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "request body exceeds 1 MiB");
      return;
    }
    exchange.setMaxEntitySize(NoisePeer.MAX_REQUEST_BODY);
    exchange
        .getRequestReceiver()
        .receiveFullBytes(
            (ex, bytes) -> {
              T value;
              try {
                value = TailcfgJson.MAPPER.readValue(bytes, type);
              } catch (IOException e) {
                Responses.text(
                    ex, StatusCodes.BAD_REQUEST, "malformed " + type.getSimpleName() + " JSON");
                return;
              }
              if (value == null) {
                Responses.text(ex, StatusCodes.BAD_REQUEST, "empty " + type.getSimpleName());
                return;
              }
              then.accept(ex, value);
            },
            (ex, e) -> {
              if (e instanceof RequestTooBigException) {
                if (!ex.isResponseStarted()) {
                  ex.getResponseHeaders().put(Headers.CONNECTION, "close");
                  Responses.text(
                      ex, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "request body exceeds 1 MiB");
                }
              } else {
                IoUtils.safeClose(ex.getConnection());
              }
            });
  }
}
