// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.policy;

import io.ledgerscale.domain.api.query.CheckPolicyQuery;
import io.ledgerscale.domain.api.query.PolicyCheckView;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policydocument.TailnetTopology;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * Answers whether a policy would be accepted, by the same engine and against the same tailnet as
 * setting it.
 */
@Component
public class PolicyChecks {
  private final TailnetTopology topology;

  public PolicyChecks(TailnetTopology topology) {
    this.topology = topology;
  }

  @QueryHandler
  public PolicyCheckView handle(CheckPolicyQuery query) {
    if (query.policy() == null || query.policy().isBlank()) {
      return new PolicyCheckView(false, List.of("the policy is empty"));
    }
    try {
      PolicyEngine.accept(query.policy(), topology.current());
      return new PolicyCheckView(true, List.of());
    } catch (IllegalArgumentException refused) {
      return new PolicyCheckView(false, List.of(refused.getMessage()));
    }
  }
}
