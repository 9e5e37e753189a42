// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Durations;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code preauthkeys}: Headscale's pre-auth key commands. */
@Command(
    name = "preauthkeys",
    aliases = {"preauthkey", "authkey", "pre"},
    description = "Handle the pre-auth keys.")
public class PreAuthKeysCommand {

  @Command(
      name = "list",
      aliases = {"ls", "show"},
      description = "List all pre-auth keys.")
  static class ListKeys extends ApiCommand {
    @Override
    protected int execute() {
      JsonNode keys = api().get("/api/v1/preauthkey").path("preAuthKeys");
      output()
          .list(
              keys,
              () -> {
                Table table =
                    new Table(
                        "ID",
                        "Key/Prefix",
                        "Reusable",
                        "Ephemeral",
                        "Used",
                        "Expiration",
                        "Created",
                        "Owner");
                keys.forEach(
                    key ->
                        table.row(
                            key.path("id").asText(),
                            key.path("key").asText(),
                            Boolean.toString(key.path("reusable").asBoolean()),
                            Boolean.toString(key.path("ephemeral").asBoolean()),
                            Boolean.toString(key.path("used").asBoolean()),
                            key.path("expiration").asText("").isEmpty()
                                ? "-"
                                : Output.time(key.path("expiration")),
                            Output.time(key.path("createdAt")),
                            owner(key)));
                return table;
              });
      return 0;
    }

    private static String owner(JsonNode key) {
      if (!key.path("aclTags").isEmpty()) {
        return Output.joined(key.path("aclTags"));
      }
      String user = key.path("user").path("name").asText("");
      return user.isEmpty() ? "-" : user;
    }
  }

  @Command(
      name = "create",
      aliases = {"c", "new"},
      description = "Creates a new pre-auth key.")
  static class Create extends ApiCommand {
    @Option(
        names = {"-u", "--user"},
        description = "User (ID or name); leave out for a tags-only key.")
    String user;

    @Option(names = "--reusable", description = "Make the key reusable.")
    boolean reusable;

    @Option(names = "--ephemeral", description = "Key for ephemeral nodes.")
    boolean ephemeral;

    @Option(
        names = {"-e", "--expiration"},
        defaultValue = "1h",
        description = "Expiration, e.g. 30m, 24h (default 1h).")
    String expiration;

    @Option(names = "--tags", split = ",", description = "Tags to give the nodes it registers.")
    List<String> tags = new ArrayList<>();

    @Override
    protected int execute() {
      Instant expires = Instant.now().plus(Durations.parse(expiration));
      List<String> aclTags = tags.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
      JsonNode key =
          api()
              .post(
                  "/api/v1/preauthkey",
                  ApiClient.body(
                      "user",
                      user,
                      "reusable",
                      reusable,
                      "ephemeral",
                      ephemeral,
                      "expiration",
                      expires.toString(),
                      "aclTags",
                      aclTags))
              .path("preAuthKey");
      output().result(key, key.path("key").asText());
      return 0;
    }
  }

  @Command(
      name = "expire",
      aliases = {"revoke", "exp", "e"},
      description = "Expire a pre-auth key.")
  static class Expire extends ApiCommand {
    @Option(
        names = {"-i", "--id"},
        required = true,
        description = "Key ID.")
    long id;

    @Override
    protected int execute() {
      output()
          .result(api().post("/api/v1/preauthkey/expire", ApiClient.body("id", id)), "Key expired");
      return 0;
    }
  }

  @Command(
      name = "delete",
      aliases = {"del", "rm", "d"},
      description = "Delete a pre-auth key.")
  static class Delete extends ApiCommand {
    @Option(
        names = {"-i", "--id"},
        required = true,
        description = "Key ID.")
    long id;

    @Override
    protected int execute() {
      output().result(api().delete("/api/v1/preauthkey?id=" + id), "Key deleted");
      return 0;
    }
  }
}
