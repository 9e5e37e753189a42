// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * tailcfg.PeerChange, an element of MapResponse.PeersChangedPatch: only the fields set change on
 * the client's copy of that peer, so endpoint churn costs a few bytes instead of a whole Node.
 */
public record PeerChange(
    @JsonProperty("NodeID") long nodeId,
    @JsonProperty("DERPRegion") Integer derpRegion,
    @JsonProperty("DiscoKey") String discoKey,
    @JsonProperty("Endpoints") List<String> endpoints) {}
