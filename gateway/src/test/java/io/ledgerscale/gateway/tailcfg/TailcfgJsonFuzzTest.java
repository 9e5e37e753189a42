// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.testing.FuzzDeadline;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bodies of /machine/register and /machine/map as the gateway reads them ({@link
 * TailcfgJson#MAPPER}, as JsonBody does): garbage is a Jackson refusal (the handler's 400), never
 * another exception; and whatever is read can be written back inside a map response, since Hostinfo
 * is stored and echoed to every peer.
 */
class TailcfgJsonFuzzTest {
  private static final List<Class<?>> BODIES =
      List.of(RegisterRequest.class, MapRequest.class, Hostinfo.class);

  @DictionaryEntries({
    "\"Version\"",
    "\"NodeKey\"",
    "\"OldNodeKey\"",
    "\"Auth\"",
    "\"AuthKey\"",
    "\"Hostinfo\"",
    "\"Hostname\"",
    "\"NetInfo\"",
    "\"RoutableIPs\"",
    "\"RequestTags\"",
    "\"Endpoints\"",
    "\"EndpointTypes\"",
    "\"MapSessionSeq\"",
    "\"Expiry\"",
    "\"Ephemeral\"",
    "nodekey:",
    "1e999",
    "\\u0000"
  })
  @FuzzTest(maxDuration = "20s")
  void refusesGarbageOnlyAsMalformedJson(FuzzedDataProvider data) throws Exception {
    Class<?> type = data.pickValue(BODIES);
    byte[] body = data.consumeRemainingAsBytes();
    FuzzDeadline.run(Duration.ofSeconds(10), () -> readAndEcho(type, body));
  }

  private static void readAndEcho(Class<?> type, byte[] body) throws IOException {
    Object value;
    try {
      value = TailcfgJson.MAPPER.readValue(body, type);
    } catch (IOException refused) {
      return;
    }
    JsonNode hostinfo =
        value instanceof MapRequest m
            ? m.hostinfo()
            : TailcfgJson.MAPPER.valueToTree(
                value instanceof RegisterRequest r ? r.hostinfo() : value);
    // a peer's Hostinfo sits a few levels deep in a MapResponse
    TailcfgJson.MAPPER.writeValueAsBytes(
        Map.of("Peers", List.of(Map.of("Hostinfo", hostinfo == null ? "" : hostinfo))));
  }
}
