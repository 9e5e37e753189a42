// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * tailcfg.SSHAction as answered to a holdAndDelegate fetch (lower-camel JSON, zero values left
 * out). Exactly one of accept, reject or holdAndDelegate is meant; {@code message} is shown to the
 * SSH user first.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SSHAction(
    @JsonProperty("message") String message,
    @JsonProperty("reject") boolean reject,
    @JsonProperty("accept") boolean accept,
    @JsonProperty("holdAndDelegate") String holdAndDelegate,
    @JsonProperty("allowAgentForwarding") boolean allowAgentForwarding,
    @JsonProperty("allowLocalPortForwarding") boolean allowLocalPortForwarding,
    @JsonProperty("allowRemotePortForwarding") boolean allowRemotePortForwarding) {

  public static SSHAction rejected(String message) {
    return new SSHAction(message, true, false, null, false, false, false);
  }

  public static SSHAction hold(String message, String url) {
    return new SSHAction(message, false, false, url, false, false, false);
  }

  public static SSHAction accepted(
      String message, boolean agentForwarding, boolean localForwarding, boolean remoteForwarding) {
    return new SSHAction(
        message, false, true, null, agentForwarding, localForwarding, remoteForwarding);
  }
}
