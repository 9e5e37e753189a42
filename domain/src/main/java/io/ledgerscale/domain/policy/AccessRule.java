// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import java.util.List;

/**
 * One accept rule in the compiler's normal form. An {@code acls} entry gives one; a grant gives one per protocol
 * set of its {@code ip} list. {@code ipProto} empty means Tailscale's default (TCP, UDP, ICMP).
 *
 * @param via for a grant with {@code via}: the router tags the destinations are reached through; only those routers
 *     (serving the destination routes) receive the rule
 * @param origin "acls[3]" or "grants[1]", for messages
 */
public record AccessRule(List<Alias> sources, List<Destination> destinations, List<Integer> ipProto, List<String> via, String origin) {

  public AccessRule {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    ipProto = List.copyOf(ipProto);
    via = List.copyOf(via);
  }

  public AccessRule(List<Alias> sources, List<Destination> destinations, List<Integer> ipProto, String origin) {
    this(sources, destinations, ipProto, List.of(), origin);
  }
}
