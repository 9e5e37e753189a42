// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.derp.EmbeddedRegion;
import io.ledgerscale.gateway.map.DerpMaps;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.util.List;

/**
 * The DERP map clients get: {@code derp.urls} and {@code derp.paths}, plus the embedded relay's
 * region when it runs and {@code automatically_add_embedded_derp_region} is on (as in Headscale,
 * the embedded region replaces one of the same id). With the embedded relay on and no urls or
 * paths, its region is the only one, and nothing is fetched from Tailscale.
 */
final class EmbeddedDerpRegion {
  private EmbeddedDerpRegion() {}

  /** The map from {@code derp.urls} and {@code derp.paths} alone: the part that is fetched. */
  static DERPMap loaded(LedgerscaleConfig config) {
    return DerpMaps.load(orEmpty(config.derp.urls), orEmpty(config.derp.paths));
  }

  /** The map clients get, from what {@link #loaded} gave. */
  static DERPMap derpMap(LedgerscaleConfig config, ServerUrl serverUrl, DERPMap loaded) {
    DerpSettings.Server s = config.derp.server;
    if (!s.enabled || !s.automaticallyAddEmbeddedDerpRegion) {
      return loaded;
    }
    int stunPort = s.stunAddress().map(ListenAddress::port).orElse(-1);
    return EmbeddedRegion.addTo(
        loaded,
        EmbeddedRegion.of(
            s.regionId, s.regionCode, s.regionName, serverUrl, stunPort, s.ipv4, s.ipv6));
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
