// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Headscale's health check: can the server reach its database. */
@RestController
public class HealthController {
  private final DatabaseConnectivity database;
  private final StoredPolicyProblem policyProblem;
  private final ProjectionsProblem projectionsProblem;

  public HealthController(
      DatabaseConnectivity database,
      StoredPolicyProblem policyProblem,
      ProjectionsProblem projectionsProblem) {
    this.database = database;
    this.policyProblem = policyProblem;
    this.projectionsProblem = projectionsProblem;
  }

  /**
   * Headscale's shape; {@code policyError} is added only when the stored policy does not compile
   * (the map then serves something else, named in it) or the policy file was refused; {@code
   * projectionsError} only when a projection set events aside or a processor is in error (group,
   * position, event, error).
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
    return new HealthResponse(
        database.reachable(), policyProblem.describe(), projectionsProblem.describe());
  }
}
