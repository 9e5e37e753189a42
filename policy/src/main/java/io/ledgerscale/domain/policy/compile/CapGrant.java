// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tailcfg.CapGrant: the capabilities a filter rule's sources get on the destination prefixes. A
 * capability mapped to a null list has no values (it marshals as {@code null}, as Tailscale sends
 * it).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CapGrant(
    @JsonProperty("Dsts") List<String> dsts,
    @JsonProperty("CapMap") Map<String, List<JsonNode>> capMap) {

  public CapGrant {
    dsts = List.copyOf(dsts);
    capMap = Collections.unmodifiableMap(new LinkedHashMap<>(capMap));
  }
}
