// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiCommand;
import picocli.CommandLine.Command;

/**
 * {@code health}: is the server up, can it reach its database, are its projections whole. Exit
 * status 1 when it cannot, or when a projection set events aside.
 */
@Command(name = "health", description = "Check the health of the server.")
public class HealthCommand extends ApiCommand {
  @Override
  protected int execute() {
    JsonNode health = api().get("/api/v1/health");
    boolean database = health.path("databaseConnectivity").asBoolean(false);
    String text = "Database connectivity: " + (database ? "ok" : "FAILED");
    if (health.hasNonNull("policyError")) {
      // the server is up and the map fails closed; an operator must still hear of it
      text += "\nPolicy: " + health.get("policyError").asText();
    }
    boolean projections = !health.hasNonNull("projectionsError");
    if (!projections) {
      // the server serves, but a view is missing events: an operator must act (deadletters)
      text += "\nProjections: " + health.get("projectionsError").asText();
    }
    output().result(health, text);
    return database && projections ? 0 : 1;
  }
}
