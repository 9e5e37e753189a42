// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code debug}: Headscale's commands for debugging and testing. */
@Command(name = "debug", description = "Debug and testing commands.")
public class DebugCommand {

  /**
   * {@code debug create-node}: a node without a client, for tests, through the admin API (audited
   * as any change). Headscale then wants {@code nodes register --key}; here the node is registered
   * to the user at once, so {@code --key} has nothing to name.
   */
  @Command(
      name = "create-node",
      description =
          "Create a node for testing, registered to the user at once (it has no client, so it"
              + " stays offline).")
  static class CreateNode extends ApiCommand {
    @Option(names = "--name", required = true, description = "Name (hostname) of the node.")
    String name;

    @Option(
        names = {"-u", "--user"},
        required = true,
        description = "User who owns the node.")
    String user;

    @Option(
        names = {"-k", "--key"},
        description = "Headscale's registration id; not used here: the node is registered at once.")
    String key;

    @Option(
        names = {"-r", "--route"},
        split = ",",
        description = "Routes to advertise; refused: a node's own client advertises its routes.")
    List<String> routes;

    @Override
    protected int execute() {
      if (key != null) {
        output().warn("--key is not used: the node is registered to " + user + " at once");
      }
      JsonNode created =
          api()
              .post(
                  "/api/v1/debug/node",
                  ApiClient.body("user", user, "name", name, "routes", routes));
      output().result(created.path("node"), "Node created");
      return 0;
    }
  }
}
