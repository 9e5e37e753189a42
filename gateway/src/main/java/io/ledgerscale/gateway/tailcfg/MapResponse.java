// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * tailcfg.MapResponse. Absent (null) fields mean "unchanged" to the client; an empty list is sent
 * only where it means something (PacketFilter [] blocks all inbound traffic, so it must never be
 * sent by accident).
 */
public record MapResponse(
    @JsonProperty("KeepAlive") Boolean keepAlive,
    @JsonProperty("Node") Node node,
    @JsonProperty("DERPMap") DERPMap derpMap,
    @JsonProperty("Peers") List<Node> peers,
    @JsonProperty("PeersChanged") List<Node> peersChanged,
    @JsonProperty("PeersRemoved") List<Long> peersRemoved,
    @JsonProperty("OnlineChange") Map<String, Boolean> onlineChange,
    @JsonProperty("DNSConfig") DNSConfig dnsConfig,
    @JsonProperty("Domain") String domain,
    @JsonProperty("CollectServices") Boolean collectServices,
    @JsonProperty("PacketFilter") List<FilterRule> packetFilter,
    @JsonProperty("UserProfiles") List<UserProfile> userProfiles,
    @JsonProperty("ControlTime") String controlTime,
    @JsonProperty("Debug") Debug debug,
    @JsonProperty("PeersChangedPatch") List<PeerChange> peersChangedPatch,
    @JsonProperty("SSHPolicy") Object sshPolicy) {

  public MapResponse(
      Boolean keepAlive,
      Node node,
      DERPMap derpMap,
      List<Node> peers,
      List<Node> peersChanged,
      List<Long> peersRemoved,
      Map<String, Boolean> onlineChange,
      DNSConfig dnsConfig,
      String domain,
      Boolean collectServices,
      List<FilterRule> packetFilter,
      List<UserProfile> userProfiles,
      String controlTime,
      Debug debug) {
    this(
        keepAlive,
        node,
        derpMap,
        peers,
        peersChanged,
        peersRemoved,
        onlineChange,
        dnsConfig,
        domain,
        collectServices,
        packetFilter,
        userProfiles,
        controlTime,
        debug,
        null,
        null);
  }

  /** The message the client's 120 s watchdog waits for when nothing else changes. */
  public static final MapResponse KEEP_ALIVE =
      new MapResponse(
          true, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /**
   * tailcfg.Debug; only the switch that stops clients uploading logs to Tailscale's log service is
   * used.
   */
  public record Debug(@JsonProperty("DisableLogTail") Boolean disableLogTail) {}
}
