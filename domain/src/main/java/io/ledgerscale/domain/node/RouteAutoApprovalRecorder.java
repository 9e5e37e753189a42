// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.node.AutoApproveAllNodeRoutesCommand;
import io.ledgerscale.domain.api.node.AutoApproveNodeRoutesCommand;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.tailnet.Tailnet;
import io.ledgerscale.domain.user.PolicyUserDirectory;
import io.ledgerscale.domain.user.User;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * Records the route approvals the policy's autoApprovers grant. It reads the node, its owner and
 * the policy from their aggregates, not from a read model, so it decides on exactly what is in
 * force; asking again changes nothing.
 */
public class RouteAutoApprovalRecorder {
  private final Repository<Tailnet> tailnets;
  private final Repository<Node> nodes;
  private final Repository<User> users;
  private final Repository<PolicyDocument> policies;
  private final PolicyUserDirectory directory;

  public RouteAutoApprovalRecorder(
      Repository<Tailnet> tailnets,
      Repository<Node> nodes,
      Repository<User> users,
      Repository<PolicyDocument> policies,
      PolicyUserDirectory directory) {
    this.directory = directory;
    this.tailnets = tailnets;
    this.nodes = nodes;
    this.users = users;
    this.policies = policies;
  }

  /** Answers whether anything was approved. A node deleted meanwhile is nothing to do. */
  @CommandHandler
  public boolean handle(AutoApproveNodeRoutesCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    if (!tailnet.invoke(t -> t.hasNode(command.nodeId()))) {
      return false;
    }
    return approve(tailnet, command.nodeId(), PolicyDocument.currentPolicy(policies));
  }

  /** Answers how many nodes had routes approved; each gets its own event. */
  @CommandHandler
  public int handle(AutoApproveAllNodeRoutesCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Policy policy = PolicyDocument.currentPolicy(policies);
    if (policy.autoApprovers().routes().isEmpty() && policy.autoApprovers().exitNode().isEmpty()) {
      return 0;
    }
    int approved = 0;
    for (long nodeId : tailnet.invoke(Tailnet::nodeIds)) {
      if (approve(tailnet, nodeId, policy)) {
        approved++;
      }
    }
    return approved;
  }

  private boolean approve(Aggregate<Tailnet> tailnet, long nodeId, Policy policy) {
    Aggregate<Node> node = nodes.load(AggregateIds.node(nodeId));
    Long userId = node.invoke(Node::userId);
    TailnetUser owner = null;
    if (userId != null && node.invoke(Node::tags).isEmpty()) {
      Aggregate<User> user = users.load(AggregateIds.user(userId));
      owner = new TailnetUser(userId, user.invoke(User::name), user.invoke(User::email));
    }
    TailnetUser finalOwner = owner;
    UserNaming naming = directory.naming(tailnet, owner);
    return node.invoke(n -> n.autoApprove(policy, finalOwner, naming));
  }
}
