// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay}: rebuild every projection from the event store, and wait for it unless told not
 * to. It asks first (or takes --force); unanswered or declined, it says what it would have done and
 * exits 1, so a script that forgot --force does not go on believing the views were rebuilt.
 */
@Command(
    name = "replay",
    description = "Rebuild the read views (projections) from the event store.")
public class ReplayCommand extends ApiCommand {
  static final String PATH = "/api/v1/admin/replay";
  static final String NOT_STARTED =
      "replay not started, nothing was done. It would rebuild every read view (projection) from"
          + " the event store; run it again with --force (or answer y) to do it.";

  @Option(names = "--no-wait", description = "Start the rebuild and return at once.")
  boolean noWait;

  @Option(names = "--interval", defaultValue = "1s", description = "How often to report progress.")
  String interval;

  @Override
  protected int execute() throws InterruptedException {
    if (!cli().confirm("Rebuild every projection from the event store?")) {
      output().error(NOT_STARTED);
      return 1;
    }
    long pause = Durations.parse(interval).toMillis();
    JsonNode status = api().post(PATH, null);
    while (!noWait && status.path("running").asBoolean()) {
      if (!output().machineReadable()) {
        output()
            .warn(
                "replaying: "
                    + status.path("percent").asInt()
                    + "% ("
                    + status.path("processedEvents").asLong()
                    + " of "
                    + status.path("totalEvents").asLong()
                    + " events)");
      }
      Thread.sleep(pause);
      status = api().get(PATH);
    }
    output()
        .result(
            status,
            status.path("running").asBoolean()
                ? "Replay started"
                : "Replay done: " + status.path("totalEvents").asLong() + " events");
    return 0;
  }
}
