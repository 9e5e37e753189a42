// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code users}: Headscale's user commands. */
@Command(name = "users", aliases = "user", description = "Manage the users of Ledgerscale.")
public class UsersCommand {

  /** -i or -n: which user a command is about. */
  static class Which {
    @Option(
        names = {"-i", "--identifier"},
        description = "User identifier (ID).")
    Long id;

    @Option(
        names = {"-n", "--name"},
        description = "Username.")
    String name;

    JsonNode find(ApiClient api) {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("id", id);
      query.put("name", name);
      JsonNode users = api.get(ApiClient.path("/api/v1/user", query)).path("users");
      if (users.size() != 1) {
        throw new CliException(
            users.isEmpty() ? "user not found" : "more than one user matches; use --identifier");
      }
      return users.get(0);
    }
  }

  @Command(
      name = "create",
      aliases = {"c", "new"},
      description = "Creates a new user.")
  static class Create extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = {"-d", "--display-name"},
        description = "Display name.")
    String displayName;

    @Option(
        names = {"-e", "--email"},
        description = "Email.")
    String email;

    @Option(
        names = {"-p", "--picture-url"},
        description = "Profile picture URL.")
    String pictureUrl;

    @Override
    protected int execute() {
      JsonNode user =
          api()
              .post(
                  "/api/v1/user",
                  ApiClient.body(
                      "name",
                      name,
                      "displayName",
                      displayName,
                      "email",
                      email,
                      "pictureUrl",
                      pictureUrl));
      output().result(user.path("user"), "User created");
      return 0;
    }
  }

  @Command(
      name = "list",
      aliases = {"ls", "show"},
      description = "List all the users.")
  static class ListUsers extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        description = "Filter by user ID.")
    Long id;

    @Option(
        names = {"-n", "--name"},
        description = "Filter by username.")
    String name;

    @Option(
        names = {"-e", "--email"},
        description = "Filter by email.")
    String email;

    @Override
    protected int execute() {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("id", id);
      query.put("name", name);
      query.put("email", email);
      JsonNode users = api().get(ApiClient.path("/api/v1/user", query)).path("users");
      output()
          .list(
              users,
              () -> {
                Table table = new Table("ID", "Name", "Username", "Email", "Created");
                users.forEach(
                    user ->
                        table.row(
                            user.path("id").asText(),
                            user.path("displayName").asText(),
                            user.path("name").asText(),
                            user.path("email").asText(),
                            Output.time(user.path("createdAt"))));
                return table;
              });
      return 0;
    }
  }

  @Command(name = "rename", aliases = "mv", description = "Renames a user.")
  static class Rename extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(
        names = {"-r", "--new-name"},
        required = true,
        description = "New username.")
    String newName;

    @Override
    protected int execute() {
      JsonNode user = which.find(api());
      JsonNode renamed =
          api()
              .post(
                  "/api/v1/user/"
                      + user.path("id").asText()
                      + "/rename/"
                      + ApiClient.segment(newName),
                  null);
      output().result(renamed.path("user"), "User renamed");
      return 0;
    }
  }

  @Command(name = "destroy", aliases = "delete", description = "Destroys a user.")
  static class Destroy extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    protected int execute() {
      JsonNode user = which.find(api());
      String question =
          String.format(
              "Do you want to remove the user \"%s\" (%s) and any associated preauthkeys?",
              user.path("name").asText(), user.path("id").asText());
      if (!cli().confirm(question)) {
        output().result(Output.message("result", "User not destroyed"), "User not destroyed");
        return 0;
      }
      JsonNode response = api().delete("/api/v1/user/" + user.path("id").asText());
      output().result(response, "User destroyed");
      return 0;
    }
  }
}
