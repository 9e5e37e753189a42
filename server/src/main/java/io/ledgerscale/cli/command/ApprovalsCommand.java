// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code approvals}: four-eyes requests (changes held for a second admin), listed, approved or
 * rejected. Whoever requested a change cannot decide it; the server refuses and records the try.
 */
@Command(name = "approvals", description = "Changes waiting for a second admin (four-eyes).")
public class ApprovalsCommand {

  @Command(
      name = "list",
      aliases = {"ls", "pending"},
      description = "List pending requests (all requests with --all).")
  static class ListApprovals extends ApiCommand {
    @Option(names = "--all", description = "Also decided and expired requests.")
    boolean all;

    @Override
    protected int execute() {
      JsonNode approvals =
          api()
              .get(ApiClient.path("/api/v1/approvals", Map.of("all", all ? "true" : "")))
              .path("approvals");
      output()
          .list(
              approvals,
              () -> {
                Table table =
                    new Table(
                        "ID",
                        "Action",
                        "Summary",
                        "Requested by",
                        "Requested",
                        "Expires",
                        "Status");
                for (JsonNode a : approvals) {
                  table.row(
                      a.path("id").asText(),
                      a.path("action").asText(),
                      a.path("summary").asText(),
                      a.path("requesterName").asText(a.path("requesterId").asText()),
                      Output.time(a.path("requestedAt")),
                      Output.time(a.path("expiresAt")),
                      a.path("status").asText());
                }
                return table;
              });
      return 0;
    }
  }

  @Command(name = "approve", description = "Approve a request: the held change runs now, as yours.")
  static class Approve extends ApiCommand {
    @Parameters(index = "0", description = "The request's id.")
    String id;

    @Override
    protected int execute() {
      JsonNode answer = api().post("/api/v1/approvals/" + ApiClient.segment(id) + "/approve", null);
      output().result(answer, "Approved; the change ran");
      return 0;
    }
  }

  @Command(name = "reject", description = "Reject a request: the held change never runs.")
  static class Reject extends ApiCommand {
    @Parameters(index = "0", description = "The request's id.")
    String id;

    @Option(names = "--reason", description = "Why (recorded).")
    String reason;

    @Override
    protected int execute() {
      JsonNode answer =
          api()
              .post(
                  "/api/v1/approvals/" + ApiClient.segment(id) + "/reject",
                  ApiClient.body("reason", reason));
      output().result(answer, "Rejected");
      return 0;
    }
  }
}
