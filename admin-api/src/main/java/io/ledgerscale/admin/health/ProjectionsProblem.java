// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The server's "projections" health indicator read for the admin API: a processing group that set
 * events aside or a processor in error, in one line (the indicator's {@code summary} detail is the
 * contract), or null when every projection is whole.
 */
@Component
public class ProjectionsProblem {
  private final ObjectProvider<HealthContributorRegistry> registry;

  public ProjectionsProblem(ObjectProvider<HealthContributorRegistry> registry) {
    this.registry = registry;
  }

  public String describe() {
    HealthContributorRegistry contributors = registry.getIfAvailable();
    HealthContributor projections =
        contributors == null ? null : contributors.getContributor("projections");
    if (!(projections instanceof HealthIndicator indicator)) {
      return null;
    }
    Health health;
    try {
      health = indicator.health();
    } catch (RuntimeException unknown) {
      // the database is away: databaseConnectivity says so
      return null;
    }
    if (Status.UP.equals(health.getStatus())) {
      return null;
    }
    Object summary = health.getDetails().get("summary");
    return summary == null ? "projections: " + health.getStatus().getCode() : summary.toString();
  }
}
