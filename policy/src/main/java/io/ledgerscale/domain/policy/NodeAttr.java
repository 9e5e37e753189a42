// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code nodeAttrs} entry: the nodes its targets name get each {@code attr} as a capability
 * without values and each {@code app} capability with its values, in their own MapResponse {@code
 * Node.CapMap}; {@code ipPool} names the IPv4 prefixes new nodes its targets name get their address
 * from (nodes keep the address they have).
 */
public record NodeAttr(
    List<Alias> targets,
    List<String> attrs,
    Map<String, List<JsonNode>> app,
    List<IpPrefix> ipPool) {

  public NodeAttr(List<Alias> targets, List<String> attrs, Map<String, List<JsonNode>> app) {
    this(targets, attrs, app, List.of());
  }

  public NodeAttr {
    ipPool = ipPool == null ? List.of() : List.copyOf(ipPool);
    targets = List.copyOf(targets);
    attrs = List.copyOf(attrs);
    app = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(app));
  }
}
