// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Durations;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apikeys}: Headscale's API key commands. */
@Command(
    name = "apikeys",
    aliases = {"apikey", "api"},
    description = "Handle the API keys.")
public class ApiKeysCommand {

  /** -p or -i. */
  static class Which {
    @Option(
        names = {"-p", "--prefix"},
        description = "Key prefix.")
    String prefix;

    @Option(
        names = {"-i", "--id"},
        description = "Key ID.")
    Long id;
  }

  @Command(
      name = "list",
      aliases = {"ls", "show"},
      description = "List the API keys.")
  static class ListKeys extends ApiCommand {
    @Override
    protected int execute() {
      JsonNode keys = api().get("/api/v1/apikey").path("apiKeys");
      output()
          .list(
              keys,
              () -> {
                Table table = new Table("ID", "Prefix", "Expiration", "Created");
                keys.forEach(
                    key ->
                        table.row(
                            key.path("id").asText(),
                            key.path("prefix").asText(),
                            key.path("expiration").asText("").isEmpty()
                                ? "-"
                                : Output.time(key.path("expiration")),
                            Output.time(key.path("createdAt"))));
                return table;
              });
      return 0;
    }
  }

  @Command(
      name = "create",
      aliases = {"c", "new"},
      description = "Creates a new API key (shown once).")
  static class Create extends ApiCommand {
    @Option(
        names = {"-e", "--expiration"},
        defaultValue = "90d",
        description = "Expiration, e.g. 90d (default).")
    String expiration;

    @Override
    protected int execute() {
      Instant expires = Instant.now().plus(Durations.parse(expiration));
      String key =
          api()
              .post("/api/v1/apikey", ApiClient.body("expiration", expires.toString()))
              .path("apiKey")
              .asText();
      output().result(TextNode.valueOf(key), key);
      return 0;
    }
  }

  @Command(
      name = "expire",
      aliases = {"revoke", "exp", "e"},
      description = "Expire an API key.")
  static class Expire extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    protected int execute() {
      output()
          .result(
              api()
                  .post(
                      "/api/v1/apikey/expire",
                      ApiClient.body("prefix", which.prefix, "id", which.id)),
              "Key expired");
      return 0;
    }
  }

  @Command(
      name = "delete",
      aliases = {"remove", "del"},
      description = "Delete an API key.")
  static class Delete extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    protected int execute() {
      String path =
          which.prefix != null
              ? "/api/v1/apikey/" + ApiClient.segment(which.prefix)
              : "/api/v1/apikey?id=" + which.id;
      output().result(api().delete(path), "Key deleted");
      return 0;
    }
  }
}
