// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.policy;

import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policydocument.PolicySource;
import io.ledgerscale.gateway.map.TailnetLoader;
import io.ledgerscale.server.config.LedgerscaleConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the policy comes from, for the policy aggregate (which refuses admins' changes in file
 * mode).
 */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

  @Bean
  public PolicySource policySource(LedgerscaleConfig config) {
    return config.policy.fromFile()
        ? PolicySource.file(config.policy.file().toString())
        : PolicySource.DATABASE;
  }

  /** The tailnet's domains, owner and admins the policy may name (config, not events). */
  @Bean
  public TailnetSettings tailnetSettings(LedgerscaleConfig config) {
    return config.policy.tailnetSettings();
  }

  @Bean
  public PolicyHealthIndicator policyHealthIndicator(
      ObjectProvider<TailnetLoader> loader, ObjectProvider<PolicyFileWatcher> file) {
    return new PolicyHealthIndicator(loader, file);
  }
}
