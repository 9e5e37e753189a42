// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.domain.api.query.ApiKeyView;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's health check: can the server reach its database. */
@RestController
public class HealthController {
  private final ObjectProvider<HealthContributorRegistry> registry;
  private final AdminGateway gateway;
  private final StoredPolicyProblem policyProblem;
  private final ProjectionsProblem projectionsProblem;

  public HealthController(
      ObjectProvider<HealthContributorRegistry> registry,
      AdminGateway gateway,
      StoredPolicyProblem policyProblem,
      ProjectionsProblem projectionsProblem) {
    this.registry = registry;
    this.gateway = gateway;
    this.policyProblem = policyProblem;
    this.projectionsProblem = projectionsProblem;
  }

  /**
   * Headscale's shape; {@code policyError} is added only when the stored policy does not compile
   * (the map then serves something else, named in it); {@code projectionsError} only when a
   * projection set events aside or a processor is in error (group, position, event, error).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HealthResponse(
      boolean databaseConnectivity, String policyError, String projectionsError) {
    public HealthResponse(boolean databaseConnectivity) {
      this(databaseConnectivity, null, null);
    }
  }

  @GetMapping("/api/v1/health")
  public HealthResponse health() {
    HealthContributorRegistry contributors = registry.getIfAvailable();
    HealthContributor db = contributors == null ? null : contributors.getContributor("db");
    String policyError = policyProblem.describe();
    String projectionsError = projectionsProblem.describe();
    if (db != null) {
      return new HealthResponse(up(db), policyError, projectionsError);
    }
    // without actuator's database indicator, a read through the projections is the next best probe
    try {
      gateway.queryList(new FetchApiKeysQuery(), ApiKeyView.class);
      return new HealthResponse(true, policyError, projectionsError);
    } catch (RuntimeException unreachable) {
      return new HealthResponse(false, policyError, projectionsError);
    }
  }

  private static boolean up(HealthContributor contributor) {
    if (contributor instanceof HealthIndicator indicator) {
      return Status.UP.equals(indicator.health().getStatus());
    }
    if (contributor instanceof CompositeHealthContributor composite) {
      boolean all = true;
      for (var named : composite) {
        all &= up(named.getContributor());
      }
      return all;
    }
    return false;
  }
}
