// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** tailcfg.FilterRule: an inbound allow rule on the receiving node. IPProto null means TCP, UDP and ICMP. */
public record FilterRule(
    @JsonProperty("SrcIPs") List<String> srcIps,
    @JsonProperty("DstPorts") List<NetPortRange> dstPorts,
    @JsonProperty("IPProto") List<Integer> ipProto) {

  /** tailcfg.FilterAllowAll. */
  public static final List<FilterRule> ALLOW_ALL =
      List.of(new FilterRule(List.of("*"), List.of(new NetPortRange("*", new PortRange(0, 65535))), null));

  public record NetPortRange(@JsonProperty("IP") String ip, @JsonProperty("Ports") PortRange ports) {}

  public record PortRange(@JsonProperty("First") int first, @JsonProperty("Last") int last) {}
}
