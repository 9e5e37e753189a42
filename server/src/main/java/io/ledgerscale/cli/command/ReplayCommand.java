// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay}: rebuild projections from the event store. */
@Command(name = "replay", description = "Rebuild the read views (projections) from the event store.")
public class ReplayCommand extends ApiCommand {
  @Option(names = {"-g", "--group"}, description = "Only this processing group (default: all projections).")
  String group;

  @Override
  protected int execute() {
    if (!cli().confirm("Rebuild " + (group == null ? "all projections" : group) + " from the event store?")) {
      output().text("Replay not started");
      return 0;
    }
    JsonNode answer = api().post("/api/v1/admin/replay", ApiClient.body("processingGroup", group));
    output().result(answer, "Replay started: " + NodesCommand.join(answer.path("replayed")));
    return 0;
  }
}
