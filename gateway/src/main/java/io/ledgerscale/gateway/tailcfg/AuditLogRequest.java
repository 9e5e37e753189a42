// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * tailcfg.AuditLogRequest, the body of POST /machine/audit-log: an action the node reports about
 * itself (so far only DISCONNECT_NODE, whose Details carry the reason). Timestamp is the node's own
 * clock and may be absent (Go's zero time).
 */
public record AuditLogRequest(
    @JsonProperty("Version") int version,
    @JsonProperty("NodeKey") String nodeKey,
    @JsonProperty("Action") String action,
    @JsonProperty("Details") String details,
    @JsonProperty("Timestamp") String timestamp) {}
