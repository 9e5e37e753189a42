// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;

/** tailcfg.User. {@code Created} is an RFC 3339 time, omitted when unknown. */
public record User(
    @JsonProperty("ID") long id,
    @JsonProperty("DisplayName") String displayName,
    @JsonProperty("ProfilePicURL") String profilePicUrl,
    @JsonProperty("Created") String created) {
  public static final User NONE = new User(0, "", null, null);
}
