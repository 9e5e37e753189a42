// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code policy}: read, replace and check the policy (HuJSON). */
@Command(name = "policy", description = "Manage the policy.",
    subcommands = {PolicyCommand.Get.class, PolicyCommand.Set.class, PolicyCommand.Check.class})
public class PolicyCommand {

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read policy file " + file + ": " + e.getMessage());
    }
  }

  @Command(name = "get", aliases = {"show", "view", "fetch"}, description = "Print the current policy.")
  static class Get extends ApiCommand {
    @Override
    protected int execute() {
      JsonNode policy = api().get("/api/v1/policy");
      output().result(policy, policy.path("policy").asText());
      return 0;
    }
  }

  @Command(name = "set", aliases = {"put", "update"}, description = "Replace the policy with a file.")
  static class Set extends ApiCommand {
    @Option(names = {"-f", "--file"}, required = true, description = "Path to a policy file in HuJSON format.")
    Path file;

    @Override
    protected int execute() {
      JsonNode policy = api().put("/api/v1/policy", ApiClient.body("policy", read(file)));
      output().result(policy, "Policy updated.");
      return 0;
    }
  }

  @Command(name = "check", description = "Check a policy file without applying it.")
  static class Check extends ApiCommand {
    @Option(names = {"-f", "--file"}, required = true, description = "Path to a policy file in HuJSON format.")
    Path file;

    @Override
    protected int execute() {
      output().result(api().post("/api/v1/policy/check", ApiClient.body("policy", read(file))), "Policy is valid");
      return 0;
    }
  }
}
