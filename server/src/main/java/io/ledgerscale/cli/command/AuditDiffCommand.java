// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Output;
import io.ledgerscale.cli.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code audit diff T1 T2}: what changed between two moments, and who changed it. */
@Command(
    name = "diff",
    description =
        "What changed in nodes, users, keys, tags, routes and policy between two moments, and who"
            + " changed it.")
class AuditDiffCommand extends ApiCommand {
  @Parameters(index = "0", description = "From this moment (RFC 3339), not included.")
  String from;

  @Parameters(index = "1", description = "To this moment (RFC 3339), included.")
  String to;

  @Override
  protected int execute() {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("from", Moments.parse("T1", from));
    query.put("to", Moments.parse("T2", to));
    JsonNode answer = api().get(ApiClient.path("/api/v1/audit/diff", query));
    JsonNode changes = answer.path("changes");
    output()
        .list(
            changes,
            () -> {
              Table table = new Table("Target", "Before", "After", "Changed by");
              for (JsonNode c : changes) {
                StringBuilder who = new StringBuilder();
                for (JsonNode e : c.path("changes")) {
                  if (who.length() > 0) {
                    who.append("; ");
                  }
                  who.append(Output.time(e.path("timestamp")))
                      .append(' ')
                      .append(AuditCommand.row(e)[1])
                      .append(": ")
                      .append(e.path("summary").asText());
                }
                table.row(
                    c.path("targetType").asText() + "/" + c.path("targetId").asText(),
                    c.path("before").toString(),
                    c.path("after").toString(),
                    who.toString());
              }
              return table;
            });
    if (answer.path("truncated").asBoolean()) {
      output().warn("(more changes than one answer holds; narrow the window)");
    }
    return 0;
  }
}
