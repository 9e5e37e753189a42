// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code serve}: the server itself. The executable's entry point starts the server before the CLI
 * sees the arguments, except for {@code serve --help}, which lands here to print this help; so this
 * command is for help and the command list.
 */
@Command(
    name = "serve",
    description = {
      "Run the server: the Tailscale control protocol and the admin API on listen_addr, metrics"
          + " and health on metrics_listen_addr.",
      "With the embedded database (the default) it keeps its data, the first admin API key"
          + " included, in data_dir (./data)."
    },
    footer = {
      "",
      "Further --name=value arguments are Spring Boot settings (for example --server.port=8081)."
    })
public class ServeCommand extends ApiCommand {
  @Unmatched List<String> springArguments;

  @Override
  protected int execute() {
    throw new CliException(
        "this entry point runs commands only; start the server with 'ledgerscale serve' (java -jar"
            + " ledgerscale-exec.jar serve [-c config.yaml])");
  }
}
