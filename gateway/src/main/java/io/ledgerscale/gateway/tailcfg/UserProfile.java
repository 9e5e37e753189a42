// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;

/** tailcfg.UserProfile: one for the self user and for every user a peer belongs to. */
public record UserProfile(
    @JsonProperty("ID") long id,
    @JsonProperty("LoginName") String loginName,
    @JsonProperty("DisplayName") String displayName,
    @JsonProperty("ProfilePicURL") String profilePicUrl) {}
