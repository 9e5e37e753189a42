// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * tailcfg.MapRequest, the body of POST /machine/map. Hostinfo stays raw JSON: it is stored and
 * echoed to peers as the client sent it, so fields added by newer clients survive.
 */
public record MapRequest(
    @JsonProperty("Version") int version,
    @JsonProperty("Compress") String compress,
    @JsonProperty("KeepAlive") boolean keepAlive,
    @JsonProperty("NodeKey") String nodeKey,
    @JsonProperty("DiscoKey") String discoKey,
    @JsonProperty("Stream") boolean stream,
    @JsonProperty("OmitPeers") boolean omitPeers,
    @JsonProperty("Hostinfo") JsonNode hostinfo,
    @JsonProperty("Endpoints") List<String> endpoints,
    @JsonProperty("EndpointTypes") List<Integer> endpointTypes,
    @JsonProperty("MapSessionHandle") String mapSessionHandle,
    @JsonProperty("MapSessionSeq") Long mapSessionSeq,
    @JsonProperty("DebugFlags") List<String> debugFlags,
    @JsonProperty("ReadOnly") boolean readOnly) {}
