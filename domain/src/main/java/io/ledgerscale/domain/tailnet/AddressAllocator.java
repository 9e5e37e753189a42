// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ledgerscale.domain.api.tailnet.AddressPrefixesConfiguredEvent;
import java.util.HashSet;
import java.util.List;
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

  /**
   * A free pair of addresses and the policy pool the IPv4 one came from (null: the tailnet's
   * prefix), or why there is none.
   */
  record Allocation(String ipv4, String ipv6, String ipv4Pool, String refusal) {}

  Allocation next() {
    return next(PolicyPools.NONE);
  }

  /**
   * A free pair for a new node: its IPv4 address from the first of {@code pools.applying()} with a
   * free address, or, when none applies, from the tailnet's prefix outside every pool of the policy
   * (those are kept for the nodes they name). When pools apply but all are full the node gets none:
   * taking one elsewhere would ignore the policy.
   */
  Allocation next(PolicyPools pools) {
    AddressPool v4 = AddressPool.ipv4(ipv4Prefix == null ? AddressPool.DEFAULT_IPV4 : ipv4Prefix);
    AddressPool v6 = AddressPool.ipv6(ipv6Prefix == null ? AddressPool.DEFAULT_IPV6 : ipv6Prefix);
    RandomGenerator random = AddressPool.RANDOM.equals(allocation) ? RANDOM : null;
    long ipv6 = v6.next(lastIpv6, heldIpv6, random);
    if (ipv6 < 0) {
      return new Allocation(null, null, null, "no free address left in " + v6.prefix());
    }
    if (!pools.applying().isEmpty()) {
      for (String prefix : pools.applying()) {
        AddressPool pool = AddressPool.ipv4(prefix);
        // a pool fills from its start: it has no cursor of its own to keep in the snapshot
        long ipv4 = pool.next(-1, heldIpv4, random);
        if (ipv4 >= 0) {
          return new Allocation(pool.format(ipv4), v6.format(ipv6), pool.prefix(), null);
        }
      }
      return new Allocation(
          null,
          null,
          null,
          "no free address left in the policy's address pools for this node ("
              + String.join(", ", pools.applying())
              + "); free addresses there or widen the nodeAttrs ipPool");
    }
    List<AddressPool> kept = pools.all().stream().map(AddressPool::ipv4).toList();
    long ipv4 = v4.next(lastIpv4, heldIpv4, random, kept);
    if (ipv4 < 0) {
      return new Allocation(
          null,
          null,
          null,
          "no free address left in "
              + v4.prefix()
              + (kept.isEmpty() ? "" : " outside the policy's address pools"));
    }
    return new Allocation(v4.format(ipv4), v6.format(ipv6), null, null);
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

  /**
   * A node holds these addresses; {@code ipv4Pool} is the policy pool its IPv4 address came from
   * (null: the tailnet's prefix, whose sequential cursor only follows its own addresses).
   */
  void held(String ipv4, String ipv6, String ipv4Pool) {
    long v4 = AddressRange.IPV4.offsetOf(ipv4);
    if (ipv4Pool == null) {
      lastIpv4 = v4;
    }
    lastIpv6 = AddressRange.IPV6.offsetOf(ipv6);
    heldIpv4.add(v4);
    heldIpv6.add(lastIpv6);
  }

  void released(String ipv4, String ipv6) {
    heldIpv4.remove(AddressRange.IPV4.offsetOf(ipv4));
    heldIpv6.remove(AddressRange.IPV6.offsetOf(ipv6));
  }
}
