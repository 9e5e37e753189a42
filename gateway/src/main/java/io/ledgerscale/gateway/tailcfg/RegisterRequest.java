// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** tailcfg.RegisterRequest, the body of POST /machine/register. */
public record RegisterRequest(
    @JsonProperty("Version") int version,
    @JsonProperty("NodeKey") String nodeKey,
    @JsonProperty("OldNodeKey") String oldNodeKey,
    @JsonProperty("NLKey") String nlKey,
    @JsonProperty("Auth") Auth auth,
    @JsonProperty("Expiry") String expiry,
    @JsonProperty("Followup") String followup,
    @JsonProperty("Hostinfo") Hostinfo hostinfo,
    @JsonProperty("Ephemeral") Boolean ephemeral,
    @JsonProperty("NodeKeySignature") String nodeKeySignature,
    @JsonProperty("Tailnet") String tailnet) {

  /** The Auth object: a pre-auth key; Oauth2Token is for old Android clients and not accepted. */
  public record Auth(
      @JsonProperty("AuthKey") String authKey, @JsonProperty("Oauth2Token") JsonNode oauth2Token) {}
}
