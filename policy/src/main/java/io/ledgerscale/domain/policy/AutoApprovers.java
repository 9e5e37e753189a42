// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import io.ledgerscale.domain.policy.net.IpPrefix;
import java.util.List;
import java.util.Map;

/** Who may have routes approved without an operator: per route prefix, and for exit nodes. */
public record AutoApprovers(Map<IpPrefix, List<Alias>> routes, List<Alias> exitNode) {
  public static final AutoApprovers NONE = new AutoApprovers(Map.of(), List.of());

  public AutoApprovers {
    routes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routes));
    exitNode = List.copyOf(exitNode);
  }
}
