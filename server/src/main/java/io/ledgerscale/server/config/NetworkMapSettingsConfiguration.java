// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.map.MapSettings;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the gateway's node map the parts of the configuration it needs: DNS, DERP map, ephemeral
 * timeout, how long changes are batched.
 */
@Configuration(proxyBeanMethods = false)
public class NetworkMapSettingsConfiguration {

  @Bean
  public MapSettings mapSettings(
      LedgerscaleConfig config,
      ServerUrl serverUrl,
      ObjectProvider<DerpMapEarlyFetch.Fetching> early) {
    DerpMapEarlyFetch.Fetching fetching = early.getIfAvailable();
    DERPMap loaded = fetching != null ? fetching.await() : EmbeddedDerpRegion.loaded(config);
    DnsSettings dns = config.dns;
    return new MapSettings(
        dns.baseDomain,
        dns.magicDns,
        dns.overrideLocalDns,
        dns.nameservers.global,
        dns.nameservers.split,
        dns.searchDomains,
        EmbeddedDerpRegion.derpMap(config, serverUrl, loaded),
        config.ephemeralInactivityTimeout(),
        serverUrl,
        // one id per process: sessions it held are recognisable after it dies
        UUID.randomUUID().toString(),
        config.batchChangeDelay().orElse(MapSettings.DEFAULT_BATCH_CHANGE_DELAY));
  }
}
