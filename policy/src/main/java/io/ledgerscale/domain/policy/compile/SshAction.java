// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * tailcfg.SSHAction; {@code holdAndDelegate} is set for check rules, {@code sessionDuration} in
 * nanoseconds.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SshAction(
    @JsonProperty("accept") boolean accept,
    @JsonProperty("holdAndDelegate") String holdAndDelegate,
    @JsonProperty("sessionDuration") long sessionDurationNanos,
    @JsonProperty("allowAgentForwarding") boolean allowAgentForwarding,
    @JsonProperty("allowLocalPortForwarding") boolean allowLocalPortForwarding,
    @JsonProperty("allowRemotePortForwarding") boolean allowRemotePortForwarding) {}
