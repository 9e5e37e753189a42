// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PacketFilterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PacketFilter filter(String rules) throws Exception {
    return PacketFilter.of(JSON.readTree("{\"PacketFilterRules\":" + rules + "}"));
  }

  @Test
  void shouldMatchAddressesPrefixesRangesAndStar() {
    assertThat(PacketFilter.contains("100.64.0.1", "100.64.0.1")).isTrue();
    assertThat(PacketFilter.contains("100.64.0.1/32", "100.64.0.2")).isFalse();
    assertThat(PacketFilter.contains("100.64.0.0/10", "100.127.255.255")).isTrue();
    assertThat(PacketFilter.contains("100.64.0.0/10", "100.128.0.0")).isFalse();
    assertThat(PacketFilter.contains("100.64.0.2-100.64.0.4", "100.64.0.3")).isTrue();
    assertThat(PacketFilter.contains("100.64.0.2-100.64.0.4", "100.64.0.5")).isFalse();
    assertThat(PacketFilter.contains("fd7a:115c:a1e0::/48", "fd7a:115c:a1e0::1")).isTrue();
    assertThat(PacketFilter.contains("fd7a:115c:a1e0::/48", "100.64.0.1")).isFalse();
    assertThat(PacketFilter.contains("*", "100.64.0.1")).isTrue();
    assertThat(PacketFilter.contains("cap:relay", "100.64.0.1")).isFalse();
  }

  @Test
  void shouldAllowOnlyTheListedSourceDestinationAndPorts() throws Exception {
    PacketFilter f =
        filter(
            """
        [{"SrcIPs":["100.64.0.1"],"DstPorts":[{"IP":"100.64.0.2","Ports":{"First":7000,"Last":7001}}]}]""");

    assertThat(f.allowsTcp("100.64.0.1", "100.64.0.2", 7001)).isTrue();
    assertThat(f.allowsTcp("100.64.0.1", "100.64.0.2", 7002)).isFalse();
    assertThat(f.allowsTcp("100.64.0.3", "100.64.0.2", 7000)).isFalse();
    assertThat(f.allowsTcp("100.64.0.2", "100.64.0.1", 7000)).isFalse();
    assertThat(f.isEmpty()).isFalse();
  }

  @Test
  void cannotLetTcpThroughARuleForOtherProtocols() throws Exception {
    PacketFilter udpOnly =
        filter(
            """
        [{"SrcIPs":["*"],"DstPorts":[{"IP":"*","Ports":{"First":0,"Last":65535}}],"IPProto":[17]}]""");

    assertThat(udpOnly.allowsTcp("100.64.0.1", "100.64.0.2", 80)).isFalse();
    assertThat(filter("null").isEmpty()).isTrue();
    assertThat(filter("[]").allowsTcp("100.64.0.1", "100.64.0.2", 80)).isFalse();
  }
}
