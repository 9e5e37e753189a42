// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nodes}: Headscale's node commands, plus {@code transfer}. */
@Command(name = "nodes", aliases = "node", description = "Manage the nodes of Ledgerscale.")
public class NodesCommand {

  static String node(long id) {
    return "/api/v1/node/" + id;
  }

  @Command(
      name = "list",
      aliases = {"ls", "show"},
      description = "List nodes.")
  static class ListNodes extends ApiCommand {
    @Option(
        names = {"-u", "--user"},
        description = "Filter by user.")
    String user;

    @Option(
        names = "--at",
        description = "The nodes as they were at this moment (RFC 3339), rebuilt from the record.")
    String at;

    @Override
    protected int execute() {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("user", user);
      if (at != null && user != null) {
        throw new CliException("--at lists every node; filter by user without --at");
      }
      JsonNode nodes =
          at == null
              ? api().get(ApiClient.path("/api/v1/node", query)).path("nodes")
              : api()
                  .get(
                      ApiClient.path(
                          "/api/v1/history/nodes", Map.of("at", Moments.parse("--at", at))))
                  .path("nodes");
      output().list(nodes, () -> nodeTable(nodes));
      return 0;
    }
  }

  static Table nodeTable(JsonNode nodes) {
    Table table =
        new Table(
            "ID",
            "Hostname",
            "Name",
            "MachineKey",
            "NodeKey",
            "User",
            "Tags",
            "IP addresses",
            "Ephemeral",
            "Last seen",
            "Expiration",
            "Connected",
            "Expired");
    Instant now = Instant.now();
    for (JsonNode node : nodes) {
      String expiry = node.path("expiry").asText("");
      boolean expired = !expiry.isEmpty() && Instant.parse(expiry).isBefore(now);
      table.row(
          node.path("id").asText(),
          node.path("name").asText(),
          node.path("givenName").asText(),
          shortKey(node.path("machineKey").asText()),
          shortKey(node.path("nodeKey").asText()),
          node.path("user").path("name").asText(),
          Output.joined(node.path("tags")),
          Output.joined(node.path("ipAddresses")),
          Boolean.toString(node.path("preAuthKey").path("ephemeral").asBoolean(false)),
          Output.time(node.path("lastSeen")),
          expiry.isEmpty() ? "N/A" : Output.time(node.path("expiry")),
          node.path("online").asBoolean() ? "online" : "offline",
          expired ? "yes" : "no");
    }
    return table;
  }

  /** Tailscale's short form of a key: the first five characters of its base64, in brackets. */
  static String shortKey(String key) {
    int colon = key.indexOf(':');
    if (colon < 0) {
      return key;
    }
    try {
      byte[] raw = HexFormat.of().parseHex(key.substring(colon + 1));
      return "[" + Base64.getEncoder().encodeToString(raw).substring(0, 5) + "]";
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return key;
    }
  }

  @Command(
      name = "list-routes",
      aliases = {"lsr", "routes"},
      description = "List routes of nodes.")
  static class ListRoutes extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        description = "Node identifier (ID).")
    Long id;

    @Override
    protected int execute() {
      JsonNode all =
          id != null && id != 0
              ? JsonNodeFactory.instance.arrayNode().add(api().get(node(id)).path("node"))
              : api().get("/api/v1/node").path("nodes");
      ArrayNode routed = JsonNodeFactory.instance.arrayNode();
      StreamSupport.stream(all.spliterator(), false)
          .filter(
              n ->
                  !n.path("approvedRoutes").isEmpty()
                      || !n.path("availableRoutes").isEmpty()
                      || !n.path("subnetRoutes").isEmpty())
          .forEach(routed::add);
      output()
          .list(
              routed,
              () -> {
                Table table =
                    new Table("ID", "Hostname", "Approved", "Available", "Serving (Primary)");
                routed.forEach(
                    n ->
                        table.row(
                            n.path("id").asText(),
                            n.path("givenName").asText(),
                            Output.joined(n.path("approvedRoutes")),
                            Output.joined(n.path("availableRoutes")),
                            Output.joined(n.path("subnetRoutes"))));
                return table;
              });
      return 0;
    }
  }

  @Command(
      name = "register",
      description = "Registers a node to your network (deprecated: use auth register).")
  static class Register extends ApiCommand {
    @Option(
        names = {"-u", "--user"},
        required = true,
        description = "User.")
    String user;

    @Option(
        names = {"-k", "--key"},
        required = true,
        description = "Key (the auth id shown to the client).")
    String key;

    @Override
    protected int execute() {
      output()
          .warn(
              "Command \"register\" is deprecated, use 'ledgerscale auth register --auth-id <id> --user <user>' instead");
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("user", user);
      query.put("key", key);
      JsonNode node = api().post(ApiClient.path("/api/v1/node/register", query), null).path("node");
      output().result(node, "Node " + node.path("givenName").asText() + " registered");
      return 0;
    }
  }

  @Command(
      name = "expire",
      aliases = {"logout", "exp", "e"},
      description = "Expire (log out) a node.")
  static class Expire extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        required = true,
        description = "Node identifier (ID).")
    long id;

    @Option(
        names = {"-e", "--expiry"},
        description =
            "Expire at this time (RFC 3339, e.g. 2025-08-27T10:00:00Z); empty expires now.")
    String expiry;

    @Option(
        names = {"-d", "--disable"},
        description = "Disable key expiry (the node never expires).")
    boolean disable;

    @Override
    protected int execute() {
      Map<String, Object> query = new LinkedHashMap<>();
      if (disable) {
        query.put("disableExpiry", true);
      } else if (expiry != null && !expiry.isBlank()) {
        try {
          query.put("expiry", Instant.parse(expiry.trim()).toString());
        } catch (DateTimeParseException e) {
          throw new CliException(
              "invalid --expiry \"" + expiry + "\": use RFC 3339, e.g. 2025-08-27T10:00:00Z");
        }
      }
      JsonNode node = api().post(ApiClient.path(node(id) + "/expire", query), null).path("node");
      String text =
          disable
              ? "Node expiry disabled"
              : query.containsKey("expiry")
                      && Instant.parse(query.get("expiry").toString()).isAfter(Instant.now())
                  ? "Node expiration updated"
                  : "Node expired";
      output().result(node, text);
      return 0;
    }
  }

  @Command(name = "rename", description = "Renames a node in your network.")
  static class Rename extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NEW_NAME")
    String newName;

    @Option(
        names = {"-i", "--identifier"},
        required = true,
        description = "Node identifier (ID).")
    long id;

    @Override
    protected int execute() {
      JsonNode node =
          api().post(node(id) + "/rename/" + ApiClient.segment(newName), null).path("node");
      output().result(node, "Node renamed");
      return 0;
    }
  }

  @Command(name = "delete", aliases = "del", description = "Delete a node.")
  static class Delete extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        required = true,
        description = "Node identifier (ID).")
    long id;

    @Override
    protected int execute() {
      JsonNode node = api().get(node(id)).path("node");
      if (!cli()
          .confirm("Do you want to remove the node " + node.path("givenName").asText() + "?")) {
        output().result(Output.message("result", "Node not deleted"), "Node not deleted");
        return 0;
      }
      JsonNode response = api().delete(node(id));
      output().result(response, "Node deleted");
      return 0;
    }
  }

  @Command(
      name = "tag",
      aliases = {"tags", "t"},
      description = "Set the tags of a node (it then belongs to tagged-devices).")
  static class Tag extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        required = true,
        description = "Node identifier (ID).")
    long id;

    @Option(
        names = {"-t", "--tags"},
        split = ",",
        description = "Tags, e.g. tag:server,tag:db.")
    List<String> tags = new ArrayList<>();

    @Override
    protected int execute() {
      List<String> given = tags.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
      JsonNode node = api().post(node(id) + "/tags", ApiClient.body("tags", given)).path("node");
      output().result(node, "Node updated");
      return 0;
    }
  }

  @Command(
      name = "approve-routes",
      description = "Approve the routes a node announces (empty removes all).")
  static class ApproveRoutes extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        required = true,
        description = "Node identifier (ID).")
    long id;

    @Option(
        names = {"-r", "--routes"},
        split = ",",
        description = "Routes, e.g. 10.0.0.0/8,192.168.0.0/24.")
    List<String> routes = new ArrayList<>();

    @Override
    protected int execute() {
      List<String> given = routes.stream().map(String::trim).filter(r -> !r.isEmpty()).toList();
      JsonNode node =
          api().post(node(id) + "/approve_routes", ApiClient.body("routes", given)).path("node");
      output().result(node, "Node updated");
      return 0;
    }
  }

  @Command(
      name = "transfer",
      description = "Give a node to another user, with a reason (a tagged node loses its tags).")
  static class Transfer extends ApiCommand {
    @Option(
        names = {"-i", "--identifier"},
        required = true,
        description = "Node identifier (ID).")
    long id;

    @Option(
        names = {"-u", "--user"},
        required = true,
        description = "The new owner (name or ID).")
    String user;

    @Option(names = "--reason", required = true, description = "Why, for the audit trail.")
    String reason;

    @Override
    protected int execute() {
      JsonNode node =
          api()
              .post(node(id) + "/transfer", ApiClient.body("user", user, "reason", reason))
              .path("node");
      output().result(node, "Node transferred to " + node.path("user").path("name").asText());
      return 0;
    }
  }
}
