// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

import io.ledgerscale.domain.api.approval.FourEyesPolicy;
import io.ledgerscale.projections.audit.RepeatFolding;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Hands the audit trail the configured {@code audit_history.*}. */
@Configuration(proxyBeanMethods = false)
public class AuditHistoryConfiguration {

  @Bean
  public RepeatFolding repeatFolding(LedgerscaleConfig config) {
    AuditHistorySettings.Folding folding = config.auditHistory.folding();
    return new RepeatFolding(folding.window(), folding.max());
  }

  @Bean
  public FourEyesPolicy fourEyesPolicy(LedgerscaleConfig config) {
    return config.auditHistory.fourEyesPolicy();
  }
}
