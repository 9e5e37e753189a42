// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.RegisterRequest;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import org.junit.jupiter.api.Test;

class ClientBoundsTest {
  private static final String NODE_KEY = "nodekey:" + "ab".repeat(32);

  private static RegisterRequest register(String hostinfoJson) throws Exception {
    return TailcfgJson.MAPPER.readValue(
        "{\"Version\":113,\"NodeKey\":\"" + NODE_KEY + "\",\"Hostinfo\":" + hostinfoJson + "}",
        RegisterRequest.class);
  }

  private static MapRequest map(String rest) throws Exception {
    return TailcfgJson.MAPPER.readValue(
        "{\"Version\":113,\"NodeKey\":\"" + NODE_KEY + "\"," + rest + "}", MapRequest.class);
  }

  @Test
  void shouldSanitiseTheHostnameOfARegistrationInsteadOfRefusingIt() throws Exception {
    RegisterRequest nul = register("{\"Hostname\":\"Evil\\u0000Host.local\"}");
    assertThat(ClientBounds.register(nul)).isEmpty();
    assertThat(ClientBounds.hostname(nul)).isEqualTo("evil-host");
    RegisterRequest huge = register("{\"Hostname\":\"" + "q".repeat(500_000) + "\"}");
    assertThat(ClientBounds.register(huge)).isEmpty();
    assertThat(ClientBounds.hostname(huge)).isEqualTo("q".repeat(63));
  }

  @Test
  void cannotRegisterWithGarbageInOtherHostinfoFields() throws Exception {
    assertThat(ClientBounds.register(register("{\"OS\":\"li\\u0000nux\"}")))
        .hasValueSatisfying(v -> assertThat(v.field()).isEqualTo("Hostinfo.OS"));
    assertThat(ClientBounds.register(register("{\"OSVersion\":\"" + "q".repeat(2_000) + "\"}")))
        .isPresent();
    assertThat(ClientBounds.register(register("{\"RequestTags\":[\"tag:a\\u0000\"]}"))).isPresent();
  }

  @Test
  void shouldSanitiseTheHostnameInAMapUpdateInPlace() throws Exception {
    MapRequest req = map("\"Hostinfo\":{\"Hostname\":\"Bad\\u0000Name\",\"OS\":\"linux\"}");
    assertThat(ClientBounds.map(req)).isEmpty();
    assertThat(req.hostinfo().path("Hostname").asText()).isEqualTo("bad-name");
  }

  @Test
  void cannotSendAMapUpdateWithGarbageAnywhereInHostinfo() throws Exception {
    assertThat(ClientBounds.map(map("\"Hostinfo\":{\"Distro\":\"a\\u0000\"}"))).isPresent();
    assertThat(
            ClientBounds.map(
                map(
                    "\"Hostinfo\":{\"Services\":[{\"Description\":\""
                        + "q".repeat(2_000)
                        + "\"}]}")))
        .hasValueSatisfying(
            v -> assertThat(v.field()).isEqualTo("Hostinfo.Services[].Description"));
    assertThat(ClientBounds.map(map("\"Hostinfo\":{\"a\\u0000\":1}"))).isPresent();
    StringBuilder big = new StringBuilder("\"Hostinfo\":{\"Blob\":[");
    for (int i = 0; i < 100; i++) {
      big.append(i == 0 ? "" : ",").append('"').append("q".repeat(1_000)).append('"');
    }
    assertThat(ClientBounds.map(map(big + "]}")))
        .hasValueSatisfying(v -> assertThat(v.rule()).contains("65536 bytes"));
    assertThat(ClientBounds.map(map("\"Hostinfo\":\"a string\""))).isPresent();
  }

  @Test
  void shouldTakeOnlyLiteralIpPortEndpoints() throws Exception {
    assertThat(ClientBounds.isIpPort("192.0.2.1:41641")).isTrue();
    assertThat(ClientBounds.isIpPort("[2001:db8::1]:41641")).isTrue();
    assertThat(ClientBounds.isIpPort("192.0.2.1:65536")).isFalse();
    assertThat(ClientBounds.isIpPort("256.0.0.1:1")).isFalse();
    assertThat(ClientBounds.isIpPort("example.com:80")).isFalse();
    assertThat(ClientBounds.isIpPort("2001:db8::1:80")).isFalse();
    assertThat(ClientBounds.isIpPort("[zz::1]:80")).isFalse();
    assertThat(ClientBounds.isIpPort("1.2.3.4:\u0000")).isFalse();
    assertThat(ClientBounds.map(map("\"Endpoints\":[\"1.2.3.4:5\",\"nope\"]"))).isPresent();
    StringBuilder many = new StringBuilder("\"Endpoints\":[");
    for (int i = 0; i < 200; i++) {
      many.append(i == 0 ? "" : ",").append("\"1.2.3.4:").append(i + 1).append('"');
    }
    assertThat(ClientBounds.map(map(many + "]"))).isPresent();
  }
}
