// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.tailnet;

import io.ledgerscale.domain.api.tailnet.ConfigureAddressPrefixesCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;

/**
 * Where the tailnet hands out addresses: set from the server's configuration, recorded like any
 * other change.
 */
public class TailnetAddressing {
  private final Repository<Tailnet> tailnets;

  public TailnetAddressing(Repository<Tailnet> tailnets) {
    this.tailnets = tailnets;
  }

  /** Answers whether anything changed (the same prefixes again are no event). */
  @CommandHandler
  public boolean handle(ConfigureAddressPrefixesCommand command) {
    return Tailnet.open(tailnets)
        .invoke(
            t ->
                t.configureAddresses(
                    command, command.ipv4Prefix(), command.ipv6Prefix(), command.allocation()));
  }
}
