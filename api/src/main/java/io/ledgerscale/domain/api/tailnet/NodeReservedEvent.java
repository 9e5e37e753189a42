// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/**
 * The tailnet allocated a node id and reserved its machine key, given name and addresses. userId is
 * null for a tagged node. ipv4Pool is the policy's {@code nodeAttrs} address pool the IPv4 address
 * was taken from, null when it came from the tailnet's own prefix ({@code prefixes.v4}; every event
 * written before pools existed): replay needs it to keep the prefix's sequential cursor apart from
 * the pools' without reading the policy.
 */
@Revision("1")
public record NodeReservedEvent(
    long nodeId,
    String machineKey,
    String givenName,
    Long userId,
    String ipv4,
    String ipv6,
    String ipv4Pool) {

  public NodeReservedEvent(
      long nodeId, String machineKey, String givenName, Long userId, String ipv4, String ipv6) {
    this(nodeId, machineKey, givenName, userId, ipv4, ipv6, null);
  }
}
