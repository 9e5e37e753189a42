// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPoolTest {

  @Test
  void shouldHandOutAConfiguredIpv4PrefixInOrder() {
    AddressPool pool = AddressPool.ipv4("100.96.0.0/24");

    long first = pool.next(0, Set.of(), null);
    assertThat(pool.format(first)).isEqualTo("100.96.0.1");
    assertThat(pool.format(pool.next(first, Set.of(), null))).isEqualTo("100.96.0.2");
  }

  @Test
  void shouldWrapWithinThePrefixAndSayWhenItIsFull() {
    AddressPool pool = AddressPool.ipv4("100.96.0.0/30"); // .1 and .2 usable
    long a = pool.next(0, Set.of(), null);
    long b = pool.next(a, Set.of(a), null);

    assertThat(pool.format(b)).isEqualTo("100.96.0.2");
    assertThat(pool.next(b, Set.of(a, b), null)).isEqualTo(-1);
    assertThat(pool.format(pool.next(b, Set.of(b), null)))
        .as("wraps to the first")
        .isEqualTo("100.96.0.1");
  }

  @Test
  void shouldStartAtThePrefixWhenTheLastAddressCameFromAnother() {
    AddressPool old = AddressPool.ipv4(AddressPool.DEFAULT_IPV4);
    long previous = old.next(0, Set.of(), null); // 100.64.0.1
    AddressPool pool = AddressPool.ipv4("100.80.0.0/16");

    assertThat(pool.format(pool.next(previous, Set.of(previous), null))).isEqualTo("100.80.0.1");
  }

  @Test
  void shouldSkipTailscalesReservedAddresses() {
    AddressPool chromeOs = AddressPool.ipv4("100.115.92.0/22");
    long afterChromeOs = chromeOs.next(0, Set.of(), null);
    AddressPool v6 = AddressPool.ipv6(AddressPool.DEFAULT_IPV6);

    assertThat(chromeOs.format(afterChromeOs)).isEqualTo("100.115.94.0");
    assertThat(v6.format(v6.next(0x52, Set.of(), null)))
        .as("::53 is MagicDNS")
        .isEqualTo("fd7a:115c:a1e0::54");
  }

  @Test
  void shouldHandOutRandomAddressesInsideThePrefixWithoutRepeats() {
    AddressPool pool = AddressPool.ipv4("100.100.0.0/26");
    Random random = new Random(7);
    Set<Long> held = new HashSet<>();
    for (int i = 0; i < 62; i++) {
      long offset = pool.next(0, held, random);
      assertThat(offset).isNotNegative();
      assertThat(held.add(offset)).isTrue();
      assertThat(pool.format(offset)).startsWith("100.100.0.");
    }
    assertThat(pool.next(0, held, random)).as("every address is held").isEqualTo(-1);
  }

  @Test
  void shouldHandOutAnIpv6PrefixOfItsOwn() {
    AddressPool pool = AddressPool.ipv6("fd7a:115c:a1e0:ab12::/64");

    assertThat(pool.prefix()).isEqualTo("fd7a:115c:a1e0:ab12::/64");
    assertThat(pool.format(pool.next(0, Set.of(), null))).isEqualTo("fd7a:115c:a1e0:ab12::1");
    AddressPool small = AddressPool.ipv6("fd7a:115c:a1e0::100/120");
    assertThat(small.format(small.next(0, Set.of(), null))).isEqualTo("fd7a:115c:a1e0::101");
  }

  @Test
  void cannotUseAPrefixOutsideTailscalesRanges() {
    assertThatThrownBy(() -> AddressPool.ipv4("10.0.0.0/8"))
        .hasMessage(
            "prefixes.v4: 10.0.0.0/8 is not inside Tailscale's 100.64.0.0/10; Tailscale clients only use"
                + " addresses from that range");
    assertThatThrownBy(() -> AddressPool.ipv4("100.0.0.0/8")).hasMessageContaining("not inside");
    assertThatThrownBy(() -> AddressPool.ipv6("fd00::/48"))
        .hasMessageContaining("not inside Tailscale's");
    assertThatThrownBy(() -> AddressPool.ipv6("fd7a:115c::/32"))
        .hasMessageContaining("not inside Tailscale's");
  }

  @Test
  void cannotUseAMalformedPrefix() {
    assertThatThrownBy(() -> AddressPool.ipv4("100.64.0.1/10"))
        .hasMessage(
            "prefixes.v4: 100.64.0.1/10 has host bits set; write the network, 100.64.0.0/10");
    assertThatThrownBy(() -> AddressPool.ipv4("100.64.0.0"))
        .hasMessageContaining("is not a prefix");
    assertThatThrownBy(() -> AddressPool.ipv4("100.64.300.0/24"))
        .hasMessageContaining("not a valid address");
    assertThatThrownBy(() -> AddressPool.ipv4("fd7a::/48"))
        .hasMessageContaining("not an IPv4 prefix");
    assertThatThrownBy(() -> AddressPool.ipv4("")).hasMessageContaining("a prefix is required");
    assertThatThrownBy(() -> AddressPool.ipv4("100.64.0.0/31"))
        .hasMessageContaining("leaves no addresses");
    assertThatThrownBy(() -> AddressPool.ipv4("100.100.100.0/24"))
        .hasMessageContaining("only addresses Tailscale" + " reserves");
    assertThatThrownBy(() -> AddressPool.ipv6("fd7a:115c:a1e0::1/64"))
        .hasMessageContaining("host bits set");
    assertThatThrownBy(() -> AddressPool.ipv6("example.com/64"))
        .hasMessageContaining("not an IPv6 prefix");
    assertThatThrownBy(() -> AddressPool.ipv6("100.64.0.0/10"))
        .hasMessageContaining("not an IPv6 prefix");
    assertThatThrownBy(() -> AddressPool.allocation("round-robin"))
        .hasMessage("prefixes.allocation: 'round-robin' is not one of sequential, random");
  }

  @Test
  void canReadAllocationAsHeadscaleWritesIt() {
    assertThat(AddressPool.allocation(null)).isEqualTo("sequential");
    assertThat(AddressPool.allocation("Random")).isEqualTo("random");
  }

  @Test
  void shouldSkipThePolicysPoolsWhenHandingOutTheTailnetsPrefix() {
    AddressPool prefix = AddressPool.ipv4("100.64.0.0/24");
    List<AddressPool> pools =
        List.of(AddressPool.ipv4("100.64.0.0/28"), AddressPool.ipv4("100.64.0.16/28"));
    // 100.64.0.0/28 and 100.64.0.16/28 (network and broadcast included) are skipped at once
    long first = prefix.next(0, Set.of(), null, pools);
    assertThat(prefix.format(first)).isEqualTo("100.64.0.32");
    // the same from a cursor inside a pool, and with random allocation
    assertThat(prefix.format(prefix.next(first - 30, Set.of(), null, pools)))
        .isEqualTo("100.64.0.32");
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      long picked = prefix.next(0, Set.of(), random, pools);
      assertThat(pools.stream().noneMatch(p -> p.covers(picked))).isTrue();
    }
    // a prefix all inside pools has nothing left
    assertThat(AddressPool.ipv4("100.64.0.0/28").next(0, Set.of(), null, pools)).isEqualTo(-1);
  }
}
