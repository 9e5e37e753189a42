// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.gateway.tailcfg.DERPMap;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Loads the DERP map ({@code derp.urls}, {@code derp.paths}) on a thread of its own as soon as the
 * configuration is known, so the fetch (a TLS handshake and a download from Tailscale by default,
 * up to its timeouts when the network drops packets) runs while Spring builds the context instead
 * of in the middle of it. {@link NetworkMapSettingsConfiguration} waits for it, and loads the map
 * itself when this did not run (a context built without spring.factories). A failure (a {@code
 * derp.paths} file that cannot be read) fails the start as it would have without this.
 */
public final class DerpMapEarlyFetch
    implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {
  static final String BEAN = "ledgerscale.derpMapEarlyFetch";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    if (context.getEnvironment().getPropertySources().get(ConfigPropertySource.NAME)
        instanceof ConfigPropertySource source) {
      context.getBeanFactory().registerSingleton(BEAN, Fetching.begin(source.loaded().config()));
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** The load under way, for the one bean that waits for it. */
  public static final class Fetching {
    private final EarlyStart<DERPMap> map;

    private Fetching(EarlyStart<DERPMap> map) {
      this.map = map;
    }

    static Fetching begin(LedgerscaleConfig config) {
      return new Fetching(
          EarlyStart.begin("derp-map-fetch", () -> EmbeddedDerpRegion.loaded(config)));
    }

    /** Waits for the map; its failure is thrown as loading it here would throw it. */
    DERPMap await() {
      return map.await();
    }
  }
}
