// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.health;

import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The server's "policy" health indicator read for the admin API: the map runs in the same process
 * but this module does not depend on it, so the indicator's details are the contract.
 */
@Component
public class StoredPolicyProblem {
  private final ObjectProvider<HealthContributorRegistry> registry;

  public StoredPolicyProblem(ObjectProvider<HealthContributorRegistry> registry) {
    this.registry = registry;
  }

  /** What is wrong with the stored policy and what the map serves instead, or null if nothing. */
  public String describe() {
    HealthContributorRegistry contributors = registry.getIfAvailable();
    HealthContributor policy = contributors == null ? null : contributors.getContributor("policy");
    if (!(policy instanceof HealthIndicator indicator)) {
      return null;
    }
    Map<String, Object> details = indicator.health().getDetails();
    Object ambiguous = details.get("ambiguous_users");
    String names =
        ambiguous == null
            ? null
            : "the stored policy names users ambiguously, those tokens match nobody: " + ambiguous;
    if (!Boolean.FALSE.equals(details.get("compiles"))) {
      return names;
    }
    return "the stored policy does not compile ("
        + details.get("error")
        + "); the map serves "
        + details.get("serving")
        + (names == null ? "" : "; " + names);
  }
}
