// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded relay's region in the DERP map, as Headscale describes its own: one node, reached at
 * server_url's host and port (the relay shares the control server's listener), STUN on the STUN
 * listener's port.
 */
public final class EmbeddedRegion {
  private EmbeddedRegion() {}

  /**
   * @param stunPort the STUN port, or -1 when there is no STUN listener
   * @param ipv4 the node's IPv4 address, or null to let clients resolve the host name
   * @param ipv6 likewise for IPv6
   */
  public static DERPMap.Region of(
      int regionId,
      String regionCode,
      String regionName,
      ServerUrl serverUrl,
      int stunPort,
      String ipv4,
      String ipv6) {
    DERPMap.DERPNode node =
        new DERPMap.DERPNode(
            regionCode,
            regionId,
            serverUrl.host(),
            blankToNull(ipv4),
            blankToNull(ipv6),
            stunPort,
            serverUrl.port(),
            null,
            null);
    return new DERPMap.Region(regionId, regionCode, regionName, List.of(node));
  }

  /** {@code map} with {@code region} added, replacing a region of the same id. */
  public static DERPMap addTo(DERPMap map, DERPMap.Region region) {
    Map<String, DERPMap.Region> regions = new TreeMap<>();
    if (map != null && map.regions() != null) {
      regions.putAll(map.regions());
    }
    regions.put(Integer.toString(region.regionId()), region);
    return new DERPMap(Map.copyOf(regions), map == null ? null : map.omitDefaultRegions());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
