// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.policy;

import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.domain.policydocument.PolicySource;
import io.ledgerscale.gateway.map.TailnetLoader;
import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.LedgerscaleConfig;
import java.util.ArrayList;
import java.util.List;
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
    LedgerscaleConfig.Policy p = config.policy;
    for (String d : p.tailnetDomains) {
      if (d == null || d.isBlank() || d.contains("@") || d.contains("*") || d.contains(":")) {
        throw new ConfigException("policy.tailnet_domains: \"" + d + "\" is not a domain");
      }
    }
    List<String> users = new ArrayList<>(p.admins);
    if (p.owner != null && !p.owner.isBlank()) {
      users.add(p.owner);
    }
    for (String u : users) {
      // written as the policy writes a user (alice@example.com, alice@), so it resolves alike
      if (u == null || !u.contains("@") || u.contains("*")) {
        throw new ConfigException(
            "policy.owner, policy.admins: \"" + u + "\" is not a user (alice@example.com)");
      }
    }
    return new TailnetSettings(p.tailnetDomains, p.owner, p.admins);
  }

  @Bean
  public PolicyHealthIndicator policyHealthIndicator(
      ObjectProvider<TailnetLoader> loader, ObjectProvider<PolicyFileWatcher> file) {
    return new PolicyHealthIndicator(loader, file);
  }
}
