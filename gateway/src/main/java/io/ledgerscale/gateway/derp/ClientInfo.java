// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The JSON a client seals into its ClientInfo frame (Tailscale's derp.ClientInfo). */
@JsonIgnoreProperties(ignoreUnknown = true)
record ClientInfo(
    @JsonProperty("version") int version,
    @JsonProperty("CanAckPings") boolean canAckPings,
    @JsonProperty("IsProber") boolean isProber,
    @JsonProperty("meshKey") String meshKey) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ClientInfo parse(byte[] json) throws DerpProtocolException {
    try {
      ClientInfo info = JSON.readValue(json, ClientInfo.class);
      if (info == null) {
        throw new DerpProtocolException("client info is null");
      }
      return info;
    } catch (IOException e) {
      throw new DerpProtocolException("client info is not JSON of the expected shape");
    }
  }
}
