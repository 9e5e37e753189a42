// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.node.RecordNodeHostnameCommand;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * Records the hostname a node's client reports. The node's given name follows it while it is still
 * the name made from the previous hostname, as Headscale's does; a name an admin chose stays.
 */
public class ReportedHostnames {
  private final Repository<Tailnet> tailnets;
  private final Repository<Node> nodes;

  public ReportedHostnames(Repository<Tailnet> tailnets, Repository<Node> nodes) {
    this.tailnets = tailnets;
    this.nodes = nodes;
  }

  @CommandHandler
  public void handle(RecordNodeHostnameCommand command) {
    // the tailnet first, as every handler that renames takes it before the node
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(t -> t.requireNode(command, command.nodeId()));
    Aggregate<Node> node = nodes.load(AggregateIds.node(command.nodeId()));
    node.execute(n -> n.requireExisting(command));
    String hostname = command.hostname();
    Optional<BoundViolation> bad =
        hostname == null || hostname.isBlank()
            ? Optional.of(new BoundViolation("hostname", "must not be empty"))
            : InputBounds.text("hostname", hostname, InputBounds.HOSTNAME_MAX);
    if (bad.isPresent()) {
      throw node.invoke(n -> n.refuse(command, RefusalKind.INVALID, bad.get().message()));
    }
    String oldHostname = node.invoke(Node::hostname);
    boolean follows = node.invoke(n -> n.nameMadeFrom(oldHostname));
    if (!node.invoke(n -> n.changeHostname(hostname)) || !follows) {
      return;
    }
    tailnet
        .invoke(t -> t.renameAfterHostname(command.nodeId(), hostname))
        .ifPresent(name -> node.execute(n -> n.rename(name)));
  }
}
