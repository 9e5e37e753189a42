// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.gateway.limits.ResourceLimits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Hands the gateway the configured {@code limits.*}. */
@Configuration(proxyBeanMethods = false)
public class ResourceLimitsConfiguration {

  @Bean
  public ResourceLimits resourceLimits(LedgerscaleConfig config) {
    return config.limits.resolve();
  }
}
