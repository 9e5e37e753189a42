// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * tailcfg.RegisterResponse. Go always writes User, Login and the flags, so they are never left out
 * here either.
 */
public record RegisterResponse(
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("User") User user,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Login") Login login,
    @JsonProperty("NodeKeyExpired") boolean nodeKeyExpired,
    @JsonProperty("MachineAuthorized") boolean machineAuthorized,
    @JsonProperty("AuthURL") String authUrl,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("NodeKeySignature")
        String nodeKeySignature,
    @JsonProperty("Error") String error) {

  public static RegisterResponse authorized(User user, Login login) {
    return new RegisterResponse(user, login, false, true, "", null, "");
  }

  /** The client must visit {@code authUrl}; it then long-polls with Followup set to it. */
  public static RegisterResponse needsLogin(String authUrl) {
    return new RegisterResponse(User.NONE, Login.NONE, false, false, authUrl, null, "");
  }

  /**
   * A refusal the client shows to its user and gives up on (as opposed to an HTTP error, which it
   * retries).
   */
  public static RegisterResponse error(String message) {
    return new RegisterResponse(User.NONE, Login.NONE, false, false, "", null, message);
  }
}
