// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * tailcfg.FilterRule: an inbound allow rule on the receiving node. IPProto null means TCP, UDP and
 * ICMP. A rule has either DstPorts (network access) or CapGrant (application capabilities the
 * sources get), never both.
 */
public record FilterRule(
    @JsonProperty("SrcIPs") List<String> srcIps,
    @JsonProperty("DstPorts") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<NetPortRange> dstPorts,
    @JsonProperty("IPProto") List<Integer> ipProto,
    @JsonProperty("CapGrant") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CapGrant> capGrant) {

  /** tailcfg.FilterAllowAll. */
  public static final List<FilterRule> ALLOW_ALL =
      List.of(
          new FilterRule(
              List.of("*"), List.of(new NetPortRange("*", new PortRange(0, 65535))), null));

  public FilterRule(List<String> srcIps, List<NetPortRange> dstPorts, List<Integer> ipProto) {
    this(srcIps, dstPorts, ipProto, null);
  }

  public record NetPortRange(
      @JsonProperty("IP") String ip, @JsonProperty("Ports") PortRange ports) {}

  public record PortRange(@JsonProperty("First") int first, @JsonProperty("Last") int last) {}

  /** tailcfg.CapGrant; a capability mapped to null has no values. */
  public record CapGrant(
      @JsonProperty("Dsts") List<String> dsts,
      @JsonProperty("CapMap")
          @JsonInclude(value = JsonInclude.Include.NON_NULL, content = JsonInclude.Include.ALWAYS)
          Map<String, List<JsonNode>> capMap) {}
}
