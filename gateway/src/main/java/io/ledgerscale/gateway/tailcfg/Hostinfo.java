// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The tailcfg.Hostinfo fields the server reads. The client's full Hostinfo is kept as raw JSON
 * wherever it is stored or echoed to peers, so fields added by newer clients survive.
 */
public record Hostinfo(
    @JsonProperty("IPNVersion") String ipnVersion,
    @JsonProperty("FrontendLogID") String frontendLogId,
    @JsonProperty("BackendLogID") String backendLogId,
    @JsonProperty("OS") String os,
    @JsonProperty("OSVersion") String osVersion,
    @JsonProperty("Hostname") String hostname,
    @JsonProperty("GoArch") String goArch,
    @JsonProperty("RoutableIPs") List<String> routableIps,
    @JsonProperty("RequestTags") List<String> requestTags,
    @JsonProperty("NetInfo") JsonNode netInfo) {}
