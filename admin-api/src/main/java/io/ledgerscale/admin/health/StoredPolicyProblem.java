// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.health;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * What is wrong with the stored policy and what the map serves instead, or why the policy file is
   * not in force; null if nothing.
   */
  public String describe() {
    HealthContributorRegistry contributors = registry.getIfAvailable();
    HealthContributor policy = contributors == null ? null : contributors.getContributor("policy");
    if (!(policy instanceof HealthIndicator indicator)) {
      return null;
    }
    Map<String, Object> details = indicator.health().getDetails();
    List<String> problems = new ArrayList<>();
    if (Boolean.FALSE.equals(details.get("compiles"))) {
      problems.add(
          "the stored policy does not compile ("
              + details.get("error")
              + "); the map serves "
              + details.get("serving"));
    }
    Object ambiguous = details.get("ambiguous_users");
    if (ambiguous != null) {
      problems.add(
          "the stored policy names users ambiguously, those tokens match nobody: " + ambiguous);
    }
    Object file = details.get("file_error");
    if (file != null) {
      problems.add("the policy file is not in force (" + file + "); the policy in force stays");
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }
}
