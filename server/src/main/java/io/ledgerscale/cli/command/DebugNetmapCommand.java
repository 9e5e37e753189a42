// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.cli.ApiClient;
import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code debug netmap NODE --at T}: the map (peers, addresses, packet filter, SSH policy) the node
 * was sent at that moment, rebuilt from the record by the live map's code.
 */
@Command(
    name = "netmap",
    description =
        "The network map a node was sent at a moment: peers, addresses, packet filter (tailcfg"
            + " JSON).")
class DebugNetmapCommand extends ApiCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", description = "The node's id.")
  long node;

  @Option(names = "--at", required = true, description = "The moment (RFC 3339).")
  String at;

  @Override
  protected int execute() throws Exception {
    if (node < 1) {
      throw new CliException("NODE is a node id, 1 or more");
    }
    JsonNode answer =
        api()
            .get(
                ApiClient.path(
                    "/api/v1/history/netmap/" + node, Map.of("at", Moments.parse("--at", at))));
    output()
        .result(
            answer, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.path("map")));
    return 0;
  }
}
