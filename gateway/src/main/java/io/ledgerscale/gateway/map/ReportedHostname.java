// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;

/** The OS hostname a client reports in its Hostinfo, when it is one the domain may record. */
final class ReportedHostname {
  private ReportedHostname() {}

  /**
   * Hostinfo.Hostname of the report, or null when there is none or it is empty, longer than a
   * hostname may be or holds control characters: such a name never becomes a command.
   */
  static String of(NodeConnectivity c) {
    if (c == null || c.hostinfo() == null) {
      return null;
    }
    JsonNode name;
    try {
      name = TailcfgJson.MAPPER.readTree(c.hostinfo()).path("Hostname");
    } catch (JsonProcessingException e) {
      return null;
    }
    if (!name.isTextual() || name.asText().isBlank()) {
      return null;
    }
    String hostname = name.asText();
    return InputBounds.text("hostname", hostname, InputBounds.HOSTNAME_MAX).isPresent()
        ? null
        : hostname;
  }
}
