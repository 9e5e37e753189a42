// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * tailcfg.DERPMap. Region keys are decimal strings; a null region value would make the client
 * delete it.
 */
public record DERPMap(
    @JsonProperty("Regions") Map<String, Region> regions,
    @JsonProperty("omitDefaultRegions") Boolean omitDefaultRegions) {

  /** tailcfg.DERPRegion; ids 900-999 are for self-hosted relays. */
  public record Region(
      @JsonProperty("RegionID") int regionId,
      @JsonProperty("RegionCode") String regionCode,
      @JsonProperty("RegionName") String regionName,
      @JsonProperty("Nodes") List<DERPNode> nodes) {}

  /** tailcfg.DERPNode. IPv4/IPv6 "none" disables that family; STUNPort -1 disables STUN. */
  public record DERPNode(
      @JsonProperty("Name") String name,
      @JsonProperty("RegionID") int regionId,
      @JsonProperty("HostName") String hostName,
      @JsonProperty("IPv4") String ipv4,
      @JsonProperty("IPv6") String ipv6,
      @JsonProperty("STUNPort") Integer stunPort,
      @JsonProperty("DERPPort") Integer derpPort,
      @JsonProperty("InsecureForTests") Boolean insecureForTests,
      @JsonProperty("CanPort80") Boolean canPort80) {}
}
