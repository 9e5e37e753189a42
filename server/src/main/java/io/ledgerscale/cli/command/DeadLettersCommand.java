// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deadletters}: events a projection set aside, and what to do with them. */
@Command(
    name = "deadletters",
    aliases = {"deadletter", "dlq"},
    description = "List, retry and evict the events projections could not handle.")
public class DeadLettersCommand {
  static final String PATH = "/api/v1/deadletters";

  @Command(
      name = "list",
      aliases = {"ls", "show"},
      description = "List the dead letters, oldest first.")
  static class ListLetters extends ApiCommand {
    @Option(
        names = {"-g", "--group"},
        description = "Only this processing group.")
    String group;

    @Option(names = "--limit", description = "At most this many (1-1000, default 100).")
    Integer limit;

    @Override
    protected int execute() {
      Map<String, Object> query = new LinkedHashMap<>();
      if (group != null) {
        query.put("group", group);
      }
      if (limit != null) {
        query.put("limit", limit);
      }
      JsonNode letters = api().get(ApiClient.path(PATH, query)).path("deadLetters");
      output()
          .list(
              letters,
              () -> {
                Table table =
                    new Table("Group", "Sequence", "Position", "Event", "Aggregate", "Error");
                letters.forEach(
                    l ->
                        table.row(
                            l.path("group").asText(),
                            l.path("sequence").asText(),
                            l.path("position").asText("-"),
                            l.path("eventType").asText(),
                            l.path("aggregateId").asText("-"),
                            l.path("error").asText("")));
                return table;
              });
      return 0;
    }
  }

  @Command(name = "retry", description = "Hand a group's dead letters to its handlers again.")
  static class Retry extends ApiCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The processing group.")
    String group;

    @Override
    protected int execute() {
      JsonNode r = api().post(PATH + "/" + ApiClient.segment(group) + "/retry", null);
      output()
          .result(
              r,
              r.path("processed").asLong()
                  + " processed, "
                  + r.path("stillFailing").asLong()
                  + " still failing");
      return r.path("stillFailing").asLong() == 0 ? 0 : 1;
    }
  }

  @Command(
      name = "evict",
      aliases = {"delete", "rm"},
      description = "Drop the dead letters of one sequence (the event store keeps the events).")
  static class Evict extends ApiCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The processing group.")
    String group;

    @Parameters(
        index = "1",
        paramLabel = "SEQUENCE",
        description = "The sequence (usually the aggregate id), as listed.")
    String sequence;

    @Override
    protected int execute() {
      if (!cli().confirm("Evict the dead letters of " + sequence + " in " + group + "?")) {
        output().text("Nothing evicted");
        return 0;
      }
      JsonNode r =
          api().delete(PATH + "/" + ApiClient.segment(group) + "/" + ApiClient.segment(sequence));
      output().result(r, r.path("evicted").asInt() + " dead letter(s) evicted");
      return 0;
    }
  }
}
