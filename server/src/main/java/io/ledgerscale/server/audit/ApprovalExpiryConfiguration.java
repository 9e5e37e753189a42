// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.audit;

import io.ledgerscale.server.config.LedgerscaleConfig;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The sweep that records four-eyes requests lapsing undecided, every configured interval. */
@Configuration(proxyBeanMethods = false)
public class ApprovalExpiryConfiguration {

  @Bean
  public ApprovalExpirySweep approvalExpirySweep(
      LedgerscaleConfig config, CommandGateway commands, QueryGateway queries, Clock clock) {
    return new ApprovalExpirySweep(
        commands, queries, config.auditHistory.expiryCheckEvery(), clock);
  }
}
