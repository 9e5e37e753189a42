// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.domain.policy.topology.TailnetSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy}: read, replace and check the policy (HuJSON). */
@Command(name = "policy", description = "Manage the policy.")
public class PolicyCommand {

  static String instant(String flag, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim()).toString();
    } catch (DateTimeParseException e) {
      throw new CliException(
          "invalid " + flag + " \"" + value + "\": use RFC 3339, e.g. 2026-01-31T12:00:00Z");
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read policy file " + file + ": " + e.getMessage());
    }
  }

  @Command(
      name = "get",
      aliases = {"show", "view", "fetch"},
      description = "Print the current policy.")
  static class Get extends ApiCommand {
    @Override
    protected int execute() {
      JsonNode policy = api().get("/api/v1/policy");
      output().result(policy, policy.path("policy").asText());
      if (policy.hasNonNull("compileError")) {
        // stdout stays the policy text alone, so `policy get > file` still round-trips
        output().warn("Warning: " + policy.get("compileError").asText());
      }
      return 0;
    }
  }

  @Command(
      name = "set",
      aliases = {"put", "update"},
      description = "Replace the policy with a file.")
  static class Set extends ApiCommand {
    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "Path to a policy file in HuJSON format.")
    Path file;

    @Override
    protected int execute() {
      JsonNode policy = api().put("/api/v1/policy", ApiClient.body("policy", read(file)));
      output().result(policy, "Policy updated.");
      return 0;
    }
  }

  @Command(
      name = "check",
      description =
          "Check a policy file without applying it: against the server's tailnet, or with"
              + " --offline here alone.")
  static class Check extends ApiCommand {
    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "Path to a policy file in HuJSON format.")
    Path file;

    @Option(
        names = "--offline",
        description =
            "Check here, without a server (as Headscale's policy check does): the syntax, every"
                + " section and the rules, against an empty tailnet; the policy's tests and the"
                + " users and tags it names are checked by the server only.")
    boolean offline;

    @Override
    protected int execute() {
      String text = read(file);
      if (offline) {
        try {
          PolicyEngine.compile(text, TailnetSnapshot.of(List.of(), List.of()));
        } catch (IllegalArgumentException refused) {
          throw new CliException(file + ": " + refused.getMessage());
        }
        output().result(Output.message("policy", "valid"), "Policy is valid (checked offline)");
        return 0;
      }
      output()
          .result(
              api().post("/api/v1/policy/check", ApiClient.body("policy", text)),
              "Policy is valid");
      return 0;
    }
  }

  @Command(
      name = "reach",
      description = "What a node could reach at a time, and under which policy version.")
  static class Reach extends ApiCommand {
    @Option(
        names = {"-i", "--node", "--identifier"},
        required = true,
        description = "Node id.")
    long node;

    @Option(names = "--at", description = "The time (RFC 3339); default: now.")
    String at;

    @Override
    protected int execute() {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("node", node);
      query.put("at", instant("--at", at));
      JsonNode reach = api().get(ApiClient.path("/api/v1/policy/reach", query));
      output().result(reach, describe(reach));
      return 0;
    }

    static String describe(JsonNode reach) {
      StringBuilder text = new StringBuilder();
      JsonNode node = reach.path("node");
      long version = reach.path("policyVersion").asLong();
      text.append("Node ")
          .append(node.path("id").asText())
          .append(" (")
          .append(node.path("name").asText())
          .append(", ")
          .append(Output.joined(node.path("ipAddresses")))
          .append(") at ")
          .append(reach.path("at").asText())
          .append('\n');
      text.append(
              version == 0
                  ? "Policy: none set (everything allowed)"
                  : "Policy: version "
                      + version
                      + " (sha256 "
                      + reach.path("policySha256").asText()
                      + ", set "
                      + reach.path("policyChangedAt").asText()
                      + ")")
          .append('\n');
      Table peers = new Table("ID", "Name", "Addresses", "Ports");
      for (JsonNode p : reach.path("peers")) {
        peers.row(
            p.path("nodeId").asText(),
            p.path("name").asText(),
            Output.joined(p.path("addresses")),
            Output.joined(p.path("ports")));
      }
      text.append("Can reach:\n").append(peers.size() == 0 ? "(no peer)\n" : peers.render());
      Table filter = new Table("Sources", "Destinations", "Protocols");
      for (JsonNode r : reach.path("packetFilter")) {
        filter.row(
            Output.joined(r.path("srcIps")),
            Output.joined(r.path("dstPorts")),
            Output.joined(r.path("ipProto")));
      }
      text.append("Packet filter (who may reach it):\n")
          .append(filter.size() == 0 ? "(nothing)\n" : filter.render());
      return text.toString().stripTrailing();
    }
  }

  @Command(name = "diff", description = "Show what changed from one policy version to another.")
  static class Diff extends ApiCommand {
    @Parameters(index = "0", description = "The earlier version.")
    long from;

    @Parameters(index = "1", description = "The later version.")
    long to;

    @Override
    protected int execute() {
      JsonNode diff =
          api().get(ApiClient.path("/api/v1/policy/diff", Map.of("from", from, "to", to)));
      String text = diff.path("diff").asText();
      output()
          .result(
              diff,
              text.isEmpty()
                  ? "Versions " + from + " and " + to + " are identical."
                  : text.stripTrailing());
      return 0;
    }
  }

  @Command(name = "history", description = "Who changed the policy, and when.")
  static class History extends ApiCommand {
    @Option(names = "--from", description = "Not before this time (RFC 3339).")
    String from;

    @Option(names = "--to", description = "Not after this time (RFC 3339).")
    String to;

    @Override
    protected int execute() {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("from", instant("--from", from));
      query.put("to", instant("--to", to));
      JsonNode history = api().get(ApiClient.path("/api/v1/policy/history", query));
      output()
          .list(
              history.path("versions"),
              () -> {
                Table table = new Table("Version", "Time", "Actor", "Origin", "SHA-256");
                for (JsonNode v : history.path("versions")) {
                  String actor = v.path("actorName").asText("");
                  table.row(
                      v.path("version").asText(),
                      Output.time(v.path("changedAt")),
                      actor.isEmpty() ? v.path("actorType").asText() : actor,
                      v.path("origin").asText(),
                      v.path("sha256").asText());
                }
                return table;
              });
      return 0;
    }
  }
}
