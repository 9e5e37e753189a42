// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One accept rule in the compiler's normal form. An {@code acls} entry gives one; a grant gives one
 * per protocol set of its {@code ip} list, and one more for its {@code app} capabilities. {@code
 * ipProto} empty means Tailscale's default (TCP, UDP, ICMP).
 *
 * @param via for a grant with {@code via}: the router tags the destinations are reached through;
 *     only those routers (serving the destination routes) receive the rule
 * @param capMap for an {@code app} rule: the capabilities granted (name to values; a null list is a
 *     capability without values); null for a network rule. An app rule has destinations without
 *     ports and no protocols.
 * @param origin "acls[3]" or "grants[1]", for messages
 */
public record AccessRule(
    List<Alias> sources,
    List<Destination> destinations,
    List<Integer> ipProto,
    List<String> via,
    Map<String, List<JsonNode>> capMap,
    String origin) {

  public AccessRule {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    ipProto = List.copyOf(ipProto);
    via = List.copyOf(via);
    capMap = capMap == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(capMap));
  }

  public AccessRule(
      List<Alias> sources,
      List<Destination> destinations,
      List<Integer> ipProto,
      List<String> via,
      String origin) {
    this(sources, destinations, ipProto, via, null, origin);
  }

  public AccessRule(
      List<Alias> sources, List<Destination> destinations, List<Integer> ipProto, String origin) {
    this(sources, destinations, ipProto, List.of(), null, origin);
  }

  /** Grants application capabilities rather than network access. */
  public boolean isApp() {
    return capMap != null;
  }
}
