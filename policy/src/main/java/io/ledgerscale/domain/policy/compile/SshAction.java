// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * tailcfg.SSHAction, {@code sessionDuration} in nanoseconds. A check rule compiles to a {@code
 * check} (never sent as such); its wire form, {@code holdAndDelegate}, is the URL the gateway names
 * for it ({@link SshPolicy#withCheckUrl}), null until then.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SshAction(
    @JsonProperty("accept") boolean accept,
    @JsonProperty("holdAndDelegate") String holdAndDelegate,
    @JsonProperty("sessionDuration") long sessionDurationNanos,
    @JsonProperty("allowAgentForwarding") boolean allowAgentForwarding,
    @JsonProperty("allowLocalPortForwarding") boolean allowLocalPortForwarding,
    @JsonProperty("allowRemotePortForwarding") boolean allowRemotePortForwarding,
    @JsonIgnore SshCheck check) {

  /** This action with its check's URL filled in. */
  public SshAction withHoldAndDelegate(String url) {
    return new SshAction(
        accept,
        url,
        sessionDurationNanos,
        allowAgentForwarding,
        allowLocalPortForwarding,
        allowRemotePortForwarding,
        check);
  }
}
