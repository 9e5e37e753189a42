// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailcfgJsonBoundsTest {
  @Test
  void refusesAHostinfoNestedDeeperThanAMapResponseCouldCarry() {
    // Jackson reads and writes up to 1000 levels by default. This body is 999 deep; its Hostinfo,
    // stored and echoed to peers two levels further down in every MapResponse (Peers, a Node),
    // would
    // make each of those fail to serialize
    int depth = 997;
    String body =
        "{\"Version\":113,\"Hostinfo\":{\"NetInfo\":"
            + "[".repeat(depth)
            + "]".repeat(depth)
            + "}}";
    assertThatThrownBy(
            () ->
                TailcfgJson.MAPPER.readValue(
                    body.getBytes(StandardCharsets.UTF_8), MapRequest.class))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void readsTheNestingHonestClientsSend() throws Exception {
    String body =
        "{\"Version\":113,\"Hostinfo\":{\"NetInfo\":{\"DERPLatency\":{\"1-v4\":0.01}},"
            + "\"Services\":[{\"Proto\":\"tcp\",\"Port\":22}]}}";
    MapRequest r = TailcfgJson.MAPPER.readValue(body, MapRequest.class);
    assertThat(r.hostinfo().path("NetInfo").path("DERPLatency").path("1-v4").asDouble())
        .isEqualTo(0.01);
  }
}
