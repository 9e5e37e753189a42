// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.domain.api.ServerUrl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Publishes the loaded {@link LedgerscaleConfig} as a bean for every module (gateway, admin API,
 * server).
 */
@Configuration(proxyBeanMethods = false)
public class ConfigConfiguration {

  @Bean
  public LedgerscaleConfig ledgerscaleConfig(ConfigurableEnvironment environment) {
    PropertySource<?> source = environment.getPropertySources().get(ConfigPropertySource.NAME);
    if (source instanceof ConfigPropertySource loaded) {
      return loaded.loaded().config();
    }
    // a context built without spring.factories (unusual): load the same way the post-processor
    // would
    return ConfigLoader.load(
            environment.getProperty(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY))
        .config();
  }

  /** {@code server_url}, parsed once (the loader has already refused a bad one). */
  @Bean
  public ServerUrl serverUrl(LedgerscaleConfig config) {
    return config.serverUrl();
  }
}
