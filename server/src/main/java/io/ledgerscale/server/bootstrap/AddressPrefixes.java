// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.bootstrap;

import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.tailnet.ConfigureAddressPrefixesCommand;
import io.ledgerscale.server.config.LedgerscaleConfig;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Hands the configured {@code prefixes.*} to the tailnet at each start, before anything else the
 * server does on start, so the first node registered after a change already gets an address from
 * the new prefixes. The tailnet records a change once, as the server's own; the same prefixes again
 * change nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AddressPrefixes implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(AddressPrefixes.class);
  private final CommandGateway commands;
  private final LedgerscaleConfig config;

  public AddressPrefixes(CommandGateway commands, LedgerscaleConfig config) {
    this.commands = commands;
    this.config = config;
  }

  @Override
  public void run(ApplicationArguments args) {
    LedgerscaleConfig.Prefixes p = config.prefixes;
    Boolean changed =
        commands.sendAndWait(
            GenericCommandMessage.asCommandMessage(
                    new ConfigureAddressPrefixesCommand(p.v4, p.v6, p.allocation))
                .withMetaData(
                    AuditMetadata.system(Origin.SYSTEM, "prefixes from the configuration")));
    if (Boolean.TRUE.equals(changed)) {
      log.info("new nodes get addresses from {} and {} ({})", p.v4, p.v6, p.allocation);
    }
  }
}
