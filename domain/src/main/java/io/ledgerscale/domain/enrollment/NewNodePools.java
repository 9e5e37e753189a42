// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.domain.policy.compile.IpPools;
import io.ledgerscale.domain.policy.net.IpPrefix;
import io.ledgerscale.domain.policydocument.PolicyDocument;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import io.ledgerscale.domain.tailnet.PolicyPools;
import java.util.List;
import java.util.Set;
import org.axonframework.modelling.command.Repository;

/**
 * Which of the policy's {@code nodeAttrs} address pools a new node of this owner (null: tagged)
 * with these tags gets its IPv4 address from, resolved against the tailnet as it is now (the pool
 * chosen is recorded in the node's reservation, so replay never asks the policy again).
 */
final class NewNodePools {
  private NewNodePools() {}

  static PolicyPools of(
      Repository<PolicyDocument> policies,
      TailnetTopology topology,
      Long owner,
      List<String> tags) {
    Policy policy = PolicyDocument.currentPolicy(policies);
    List<String> all = texts(IpPools.all(policy));
    if (all.isEmpty()) {
      // no pools: the topology (read models) is not consulted
      return PolicyPools.NONE;
    }
    List<IpPrefix> applying =
        IpPools.forNewNode(policy, topology.current(), owner, Set.copyOf(tags));
    return new PolicyPools(texts(applying), all);
  }

  private static List<String> texts(List<IpPrefix> prefixes) {
    return prefixes.stream().map(IpPrefix::toString).toList();
  }
}
