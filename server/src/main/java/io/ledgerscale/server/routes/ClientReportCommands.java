// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.routes;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.AdvertiseNodeRoutesCommand;
import io.ledgerscale.domain.api.node.RecordNodeHostnameCommand;
import io.ledgerscale.gateway.map.ClientReports;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a node's client reported that the domain records, sent as the node's own commands: its
 * advertised routes (so the node aggregate can auto-approve what the policy's autoApprovers allow)
 * and its hostname. The map does not wait for the outcome.
 */
@Component
class ClientReportCommands implements ClientReports {
  private static final Logger log = LoggerFactory.getLogger(ClientReportCommands.class);
  private final CommandGateway commands;

  ClientReportCommands(CommandGateway commands) {
    this.commands = commands;
  }

  @Override
  public void advertisedRoutes(long nodeId, List<String> routes) {
    send(nodeId, new AdvertiseNodeRoutesCommand(nodeId, List.copyOf(routes)), "advertised routes");
  }

  @Override
  public void reportedHostname(long nodeId, String hostname) {
    send(nodeId, new RecordNodeHostnameCommand(nodeId, hostname), "reported hostname");
  }

  private void send(long nodeId, Object command, String what) {
    String id = String.valueOf(nodeId);
    MetaData asNode =
        AuditMetadata.of(new Actor(ActorType.NODE, id, "node " + id), Origin.NODE, "", null);
    commands
        .send(command, asNode)
        .exceptionally(
            e -> {
              log.warn("node {}: {} not recorded: {}", nodeId, what, e.getMessage());
              return null;
            });
  }
}
