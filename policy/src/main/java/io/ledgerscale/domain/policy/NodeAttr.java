// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code nodeAttrs} entry: the nodes its targets name get each {@code attr} as a capability
 * without values and each {@code app} capability with its values, in their own MapResponse {@code
 * Node.CapMap}.
 */
public record NodeAttr(List<Alias> targets, List<String> attrs, Map<String, List<JsonNode>> app) {

  public NodeAttr {
    targets = List.copyOf(targets);
    attrs = List.copyOf(attrs);
    app = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(app));
  }
}
