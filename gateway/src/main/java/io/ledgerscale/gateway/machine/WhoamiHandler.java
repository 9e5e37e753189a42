// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.ts2021.NoisePeer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /machine/whoami}: what this Noise connection proved about its client. `tailscale debug
 * ts2021` calls it to check a connection end to end; the body is only logged there.
 */
public final class WhoamiHandler implements HttpHandler {
  @Override
  public void handleRequest(HttpServerExchange exchange) {
    NoisePeer peer = exchange.getAttachment(NoisePeer.KEY);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("machineKey", peer.machineKey());
    body.put("protocolVersion", peer.protocolVersion());
    Responses.json(exchange, StatusCodes.OK, body);
  }
}
