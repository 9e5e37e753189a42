// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The tailnet's address plan and the addresses its nodes hold: which prefixes new nodes get
 * addresses from, how (sequential or random), and the next free pair. Part of the {@link Tailnet}
 * aggregate's state; its fields are written into the aggregate's snapshot under their own names, as
 * when they were the aggregate's fields.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class AddressAllocator {
  private static final RandomGenerator RANDOM = new java.security.SecureRandom();

  private final Set<Long> heldIpv4 = new HashSet<>();
  private final Set<Long> heldIpv6 = new HashSet<>();
  private long lastIpv4;
  private long lastIpv6;

  /**
   * Where new nodes get addresses (null: Tailscale's whole ranges, as before prefixes were
   * configurable).
   */
  private String ipv4Prefix;

  private String ipv6Prefix;
  private String allocation;

  /** A free pair of addresses, or which prefix has none left. */
  record Allocation(String ipv4, String ipv6, String exhaustedPrefix) {}

  Allocation next() {
    AddressPool v4 = AddressPool.ipv4(ipv4Prefix == null ? AddressPool.DEFAULT_IPV4 : ipv4Prefix);
    AddressPool v6 = AddressPool.ipv6(ipv6Prefix == null ? AddressPool.DEFAULT_IPV6 : ipv6Prefix);
    RandomGenerator random = AddressPool.RANDOM.equals(allocation) ? RANDOM : null;
    long ipv4 = v4.next(lastIpv4, heldIpv4, random);
    long ipv6 = v6.next(lastIpv6, heldIpv6, random);
    if (ipv4 < 0 || ipv6 < 0) {
      return new Allocation(null, null, ipv4 < 0 ? v4.prefix() : v6.prefix());
    }
    return new Allocation(v4.format(ipv4), v6.format(ipv6), null);
  }

  /**
   * The plan {@code v4}, {@code v6} and {@code allocationMode} name, checked
   * (IllegalArgumentException says what is wrong), or null when it is the one in force.
   */
  AddressPrefixesConfiguredEvent change(String v4, String v6, String allocationMode) {
    AddressPool pool4 = AddressPool.ipv4(v4);
    AddressPool pool6 = AddressPool.ipv6(v6);
    String mode = AddressPool.allocation(allocationMode);
    String current4 = ipv4Prefix == null ? AddressPool.DEFAULT_IPV4 : ipv4Prefix;
    String current6 = ipv6Prefix == null ? AddressPool.DEFAULT_IPV6 : ipv6Prefix;
    String currentMode = allocation == null ? AddressPool.SEQUENTIAL : allocation;
    if (pool4.prefix().equals(current4)
        && pool6.prefix().equals(current6)
        && mode.equals(currentMode)) {
      return null;
    }
    return new AddressPrefixesConfiguredEvent(pool4.prefix(), pool6.prefix(), mode);
  }

  void configured(AddressPrefixesConfiguredEvent event) {
    ipv4Prefix = event.ipv4Prefix();
    ipv6Prefix = event.ipv6Prefix();
    allocation = event.allocation();
  }

  void held(String ipv4, String ipv6) {
    lastIpv4 = AddressRange.IPV4.offsetOf(ipv4);
    lastIpv6 = AddressRange.IPV6.offsetOf(ipv6);
    heldIpv4.add(lastIpv4);
    heldIpv6.add(lastIpv6);
  }

  void released(String ipv4, String ipv6) {
    heldIpv4.remove(AddressRange.IPV4.offsetOf(ipv4));
    heldIpv6.remove(AddressRange.IPV6.offsetOf(ipv6));
  }
}
