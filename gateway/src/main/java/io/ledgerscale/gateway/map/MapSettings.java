// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the map needs from the server's configuration (Headscale's {@code dns.*}, {@code derp.*} and
 * {@code node.ephemeral.inactivity_timeout}), handed over by the server so the gateway stays free
 * of config parsing.
 *
 * @param splitNameservers domain → resolvers for that domain only
 * @param instanceId this server instance, recorded as the holder of the sessions it serves
 * @param batchChangeDelay Headscale's {@code tuning.batch_change_delay}: a stream gets at most one
 *     delta per this interval; changes meanwhile go out together in the next one
 */
public record MapSettings(
    String baseDomain,
    boolean magicDns,
    boolean overrideLocalDns,
    List<String> globalNameservers,
    Map<String, List<String>> splitNameservers,
    List<String> searchDomains,
    DERPMap derpMap,
    Duration ephemeralInactivityTimeout,
    ServerUrl serverUrl,
    String instanceId,
    Duration batchChangeDelay) {

  /**
   * A fleet connecting at once is a change for every stream per node: batched over this long, each
   * stream gets a handful of messages instead of one per arrival, while a lone change still goes
   * out at once.
   */
  public static final Duration DEFAULT_BATCH_CHANGE_DELAY = Duration.ofMillis(200);

  public MapSettings {
    batchChangeDelay = batchChangeDelay == null ? DEFAULT_BATCH_CHANGE_DELAY : batchChangeDelay;
    baseDomain = baseDomain == null ? "" : baseDomain;
    globalNameservers = globalNameservers == null ? List.of() : List.copyOf(globalNameservers);
    splitNameservers = splitNameservers == null ? Map.of() : Map.copyOf(splitNameservers);
    searchDomains = searchDomains == null ? List.of() : List.copyOf(searchDomains);
    derpMap = derpMap == null ? new DERPMap(Map.of(), null) : derpMap;
    ephemeralInactivityTimeout =
        ephemeralInactivityTimeout == null ? Duration.ofMinutes(30) : ephemeralInactivityTimeout;
  }

  /** Where a check rule's node asks (built from {@link #serverUrl}). */
  public SshActionUrl sshActionUrl() {
    return new SshActionUrl(serverUrl);
  }

  /** These settings with another {@link #batchChangeDelay}. */
  public MapSettings withBatchChangeDelay(Duration delay) {
    return new MapSettings(
        baseDomain,
        magicDns,
        overrideLocalDns,
        globalNameservers,
        splitNameservers,
        searchDomains,
        derpMap,
        ephemeralInactivityTimeout,
        serverUrl,
        instanceId,
        delay);
  }
}
