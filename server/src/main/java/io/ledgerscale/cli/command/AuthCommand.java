// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code auth}: Headscale 0.29's registration approvals, plus {@code list} of the pending queue.
 */
@Command(name = "auth", description = "Manage node authentication and approval.")
public class AuthCommand {

  @Command(name = "register", description = "Register a node to your network.")
  static class Register extends ApiCommand {
    @Option(names = "--auth-id", required = true, description = "Auth ID (shown to the client).")
    String authId;

    @Option(
        names = {"-u", "--user"},
        required = true,
        description = "User (name or ID).")
    String user;

    @Override
    protected int execute() {
      JsonNode node =
          api()
              .post("/api/v1/auth/register", ApiClient.body("user", user, "authId", authId))
              .path("node");
      output().result(node, "Node " + node.path("givenName").asText() + " registered");
      return 0;
    }
  }

  @Command(name = "approve", description = "Approve a pending authentication request.")
  static class Approve extends ApiCommand {
    @Option(names = "--auth-id", required = true, description = "Auth ID.")
    String authId;

    @Override
    protected int execute() {
      output()
          .result(
              api().post("/api/v1/auth/approve", ApiClient.body("authId", authId)),
              "Auth request approved");
      return 0;
    }
  }

  @Command(name = "reject", description = "Reject a pending authentication request.")
  static class Reject extends ApiCommand {
    @Option(names = "--auth-id", required = true, description = "Auth ID.")
    String authId;

    @Option(names = "--reason", description = "Why, for the audit trail.")
    String reason;

    @Override
    protected int execute() {
      output()
          .result(
              api().post("/api/v1/auth/reject", ApiClient.body("authId", authId, "reason", reason)),
              "Auth request rejected");
      return 0;
    }
  }

  @Command(
      name = "list",
      aliases = {"ls", "pending"},
      description = "List registrations waiting for approval.")
  static class ListPending extends ApiCommand {
    @Override
    protected int execute() {
      JsonNode registrations = api().get("/api/v1/registrations").path("registrations");
      output()
          .list(
              registrations,
              () -> {
                Table table =
                    new Table(
                        "Auth ID", "Hostname", "Requested tags", "Requested", "Expires", "Status");
                registrations.forEach(
                    r ->
                        table.row(
                            r.path("authId").asText(),
                            r.path("hostname").asText(),
                            Output.joined(r.path("requestedTags")),
                            Output.time(r.path("requestedAt")),
                            Output.time(r.path("expiresAt")),
                            r.path("status").asText()));
                return table;
              });
      return 0;
    }
  }
}
