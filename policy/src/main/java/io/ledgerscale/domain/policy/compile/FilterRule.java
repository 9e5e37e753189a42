// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * tailcfg.FilterRule as sent to a node; {@code IPProto} is omitted for the default protocol set. A
 * rule carries either {@code DstPorts} (network access) or {@code CapGrant} (application
 * capabilities), never both.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FilterRule(
    @JsonProperty("SrcIPs") List<String> srcIps,
    @JsonProperty("DstPorts") List<NetPortRange> dstPorts,
    @JsonProperty("IPProto") List<Integer> ipProto,
    @JsonProperty("CapGrant") List<CapGrant> capGrant) {

  public FilterRule {
    srcIps = List.copyOf(srcIps);
    dstPorts = List.copyOf(dstPorts);
    ipProto = ipProto == null ? List.of() : List.copyOf(ipProto);
    capGrant = capGrant == null ? List.of() : List.copyOf(capGrant);
  }

  public FilterRule(List<String> srcIps, List<NetPortRange> dstPorts, List<Integer> ipProto) {
    this(srcIps, dstPorts, ipProto, List.of());
  }
}
