// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpSetTest {

  @Test
  void canParseAndPrintAddresses() {
    assertThat(IpAddress.parse("100.64.0.1").toString()).isEqualTo("100.64.0.1");
    assertThat(IpAddress.parse("fd7a:115c:a1e0:0:0:0:0:10").toString())
        .isEqualTo("fd7a:115c:a1e0::10");
    assertThat(IpAddress.parse("2001:db8:0:1:0:0:0:1").toString()).isEqualTo("2001:db8:0:1::1");
    assertThat(IpAddress.parse("::").toString()).isEqualTo("::");
    assertThat(IpAddress.parse("::1").toString()).isEqualTo("::1");
    assertThat(IpAddress.parse("fd7a:115c:a1e0::3e37:8e3d").toString())
        .isEqualTo("fd7a:115c:a1e0::3e37:8e3d");
  }

  @Test
  void cannotParseNonsense() {
    assertThatThrownBy(() -> IpAddress.parse("256.1.1.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddress.parse("1.2.3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddress.parse("01.2.3.4"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddress.parse("example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldMaskPrefixesAndTestContainment() {
    IpPrefix p = IpPrefix.parse("10.33.1.7/16");
    assertThat(p.toString()).isEqualTo("10.33.0.0/16");
    assertThat(p.contains(IpAddress.parse("10.33.255.255"))).isTrue();
    assertThat(p.contains(IpAddress.parse("10.34.0.0"))).isFalse();
    assertThat(IpPrefix.parse("fd7a:115c:a1e0::/48").contains(IpAddress.parse("fd7a:115c:a1e0::1")))
        .isTrue();
    assertThat(IpPrefix.parse("10.0.0.0/8").contains(IpPrefix.parse("10.33.0.0/16"))).isTrue();
    assertThat(IpPrefix.parse("100.64.0.1").toFilterString()).isEqualTo("100.64.0.1");
  }

  @Test
  void shouldWriteRangesTheWayTailscaleDoes() {
    IpSet cgnat =
        IpSet.ofPrefixes(List.of(IpPrefix.parse("100.64.0.0/10")))
            .minus(IpSet.ofPrefixes(List.of(IpPrefix.parse("100.115.92.0/23"))));
    assertThat(cgnat.ranges())
        .extracting(IpRange::toString)
        .containsExactly("100.64.0.0-100.115.91.255", "100.115.94.0-100.127.255.255");
    assertThat(IpRange.parse("10.0.0.0-10.0.0.255").toString()).isEqualTo("10.0.0.0/24");
  }

  @Test
  void shouldMergeAdjacentRanges() {
    IpSet s =
        IpSet.ofPrefixes(
            List.of(
                IpPrefix.parse("10.0.0.0/25"),
                IpPrefix.parse("10.0.0.128/25"),
                IpPrefix.parse("::1")));
    assertThat(s.ranges()).hasSize(2);
    assertThat(s.contains(IpAddress.parse("10.0.0.200"))).isTrue();
    assertThat(s.contains(IpAddress.parse("10.0.1.0"))).isFalse();
    assertThat(s.covers(IpPrefix.parse("10.0.0.0/24").range())).isTrue();
    assertThat(IpSet.ALL.coversAll(s)).isTrue();
  }
}
