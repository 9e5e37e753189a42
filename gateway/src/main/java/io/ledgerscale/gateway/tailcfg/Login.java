// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;

/** tailcfg.Login. */
public record Login(
    @JsonProperty("ID") long id,
    @JsonProperty("Provider") String provider,
    @JsonProperty("LoginName") String loginName,
    @JsonProperty("DisplayName") String displayName,
    @JsonProperty("ProfilePicURL") String profilePicUrl) {
  public static final Login NONE = new Login(0, "", "", "", null);
}
