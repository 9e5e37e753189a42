// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * tailcfg.Node, for the self node and for peers. Keys are in their typed text form (nodekey:,
 * mkey:, discokey:).
 */
public record Node(
    @JsonProperty("ID") long id,
    @JsonProperty("StableID") String stableId,
    @JsonProperty("Name") String name,
    @JsonProperty("User") long user,
    @JsonProperty("Key") String key,
    @JsonProperty("KeyExpiry") String keyExpiry,
    @JsonProperty("Machine") String machine,
    @JsonProperty("DiscoKey") String discoKey,
    @JsonProperty("Addresses") List<String> addresses,
    @JsonProperty("AllowedIPs") List<String> allowedIps,
    @JsonProperty("Endpoints") List<String> endpoints,
    @JsonProperty("HomeDERP") Integer homeDerp,
    @JsonProperty("Hostinfo") JsonNode hostinfo,
    @JsonProperty("Created") String created,
    @JsonProperty("Cap") Integer cap,
    @JsonProperty("Tags") List<String> tags,
    @JsonProperty("PrimaryRoutes") List<String> primaryRoutes,
    @JsonProperty("LastSeen") String lastSeen,
    @JsonProperty("Online") Boolean online,
    @JsonProperty("MachineAuthorized") boolean machineAuthorized,
    // a capability without values is sent as null, as Tailscale does: keep null entries
    @JsonProperty("CapMap")
        @JsonInclude(value = JsonInclude.Include.NON_NULL, content = JsonInclude.Include.ALWAYS)
        Map<String, List<JsonNode>> capMap,
    @JsonProperty("Expired") Boolean expired) {}
