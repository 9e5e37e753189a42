// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.cli.Durations;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audit}: read the audit trail, or follow it as it grows. */
@Command(name = "audit", description = "Read the audit trail.")
public class AuditCommand {
  static final String[] COLUMNS = {"Time", "Actor", "Origin", "Action", "Target", "Summary"};

  /** The trail's filters, shared by list and follow. */
  static class Filters {
    @Option(
        names = "--actor",
        description = "Actor id or name (an API key prefix, a user, a node id).")
    String actor;

    @Option(
        names = "--target-type",
        description = "user, node, preauthkey, apikey, policy, registration.")
    String targetType;

    @Option(names = "--target-id", description = "The target's id.")
    String targetId;

    @Option(names = "--action", description = "Event type, e.g. UserCreatedEvent.")
    String action;

    @Option(names = "--from", description = "Not before this time (RFC 3339).")
    String from;

    @Option(names = "--to", description = "Not after this time (RFC 3339).")
    String to;

    @Option(
        names = "--bookkeeping",
        description = "Also show bookkeeping entries (the server's own index events).")
    boolean bookkeeping;

    String path(int page, int size) {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("actor", actor);
      query.put("target_type", targetType);
      query.put("target_id", targetId);
      query.put("action", action);
      query.put("from", instant("--from", from));
      query.put("to", instant("--to", to));
      query.put("page", page);
      query.put("size", size);
      if (bookkeeping) {
        query.put("bookkeeping", true);
      }
      return ApiClient.path("/api/v1/audit", query);
    }

    private static String instant(String flag, String value) {
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
  }

  static String[] row(JsonNode entry) {
    String actor = entry.path("actorName").asText("");
    if (actor.isEmpty()) {
      actor = entry.path("actorType").asText() + ":" + entry.path("actorId").asText();
    }
    String target =
        entry.path("targetType").asText("")
            + (entry.path("targetId").asText("").isEmpty()
                ? ""
                : "/" + entry.path("targetId").asText());
    return new String[] {
      Output.time(entry.path("timestamp")),
      actor,
      entry.path("origin").asText(),
      entry.path("action").asText(),
      target,
      entry.path("summary").asText()
    };
  }

  @Command(
      name = "list",
      aliases = {"ls", "show"},
      description = "List audit entries, newest first.")
  static class ListEntries extends ApiCommand {
    @Mixin Filters filters;

    @Option(names = "--page", defaultValue = "0", description = "Page, from 0.")
    int page;

    @Option(names = "--size", defaultValue = "50", description = "Entries per page.")
    int size;

    @Override
    protected int execute() {
      JsonNode answer = api().get(filters.path(page, size));
      JsonNode entries = answer.path("entries");
      output()
          .list(
              entries,
              () -> {
                Table table = new Table(COLUMNS);
                entries.forEach(entry -> table.row(row(entry)));
                return table;
              });
      if (!output().machineReadable() && answer.path("total").asLong() > (long) (page + 1) * size) {
        output().warn("(" + answer.path("total").asLong() + " entries in all; see --page)");
      }
      return 0;
    }
  }

  @Command(
      name = "follow",
      aliases = "tail",
      description = "Print new audit entries as they happen.")
  static class Follow extends ApiCommand {
    static final int PAGE = 100;

    @Mixin Filters filters;

    @Option(
        names = {"-n", "--lines"},
        defaultValue = "10",
        description = "Recent entries to print first.")
    int lines;

    @Option(names = "--interval", defaultValue = "2s", description = "How often to ask the server.")
    String interval;

    @Option(
        names = "--polls",
        defaultValue = "0",
        hidden = true,
        description = "Stop after this many polls (0: never).")
    int polls;

    @Override
    protected int execute() throws InterruptedException {
      long pause = Durations.parse(interval).toMillis();
      List<JsonNode> recent = newestFirst(lines <= 0 ? 1 : lines, -1);
      long last = recent.isEmpty() ? -1 : index(recent.get(0));
      if (lines > 0) {
        print(recent);
      }
      for (int poll = 1; polls == 0 || poll <= polls; poll++) {
        Thread.sleep(pause);
        List<JsonNode> fresh = newestFirst(Integer.MAX_VALUE, last);
        if (!fresh.isEmpty()) {
          last = index(fresh.get(0));
          print(fresh);
        }
      }
      return 0;
    }

    /**
     * Entries newer than {@code after}, newest first, at most {@code limit}, paging back as far as
     * needed.
     */
    private List<JsonNode> newestFirst(int limit, long after) {
      List<JsonNode> found = new ArrayList<>();
      for (int page = 0; found.size() < limit; page++) {
        JsonNode entries = api().get(filters.path(page, PAGE)).path("entries");
        for (JsonNode entry : entries) {
          if (index(entry) <= after || found.size() >= limit) {
            return found;
          }
          found.add(entry);
        }
        if (entries.size() < PAGE) {
          return found;
        }
      }
      return found;
    }

    private void print(List<JsonNode> newestFirst) {
      for (int i = newestFirst.size() - 1; i >= 0; i--) {
        JsonNode entry = newestFirst.get(i);
        output().result(entry, String.join(" | ", row(entry)));
      }
      output().flush();
    }

    private static long index(JsonNode entry) {
      return Long.parseLong(entry.path("globalIndex").asText("-1"));
    }
  }
}
