// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.cli.FishCompletion;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code completion SHELL}: a completion script for the shell, as Headscale's command prints one.
 * Bash's comes from picocli; it also serves zsh, which it sets up with bashcompinit itself.
 */
@Command(
    name = "completion",
    description = {
      "Generate the autocompletion script for the specified shell (bash, zsh or fish).",
      "bash: source <(ledgerscale completion bash)",
      "zsh:  source <(ledgerscale completion zsh)",
      "fish: ledgerscale completion fish | source"
    })
public class CompletionCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish")
  String shell;

  @Override
  protected int execute() {
    CommandLine tree = cli().fullCommandLine();
    String script =
        switch (shell) {
          case "bash", "zsh" -> AutoComplete.bash("ledgerscale", tree);
          case "fish" -> FishCompletion.script(tree);
          default ->
              throw new CliException(
                  "no completion for shell \"" + shell + "\" (bash, zsh or fish)");
        };
    output().text(script.stripTrailing());
    return 0;
  }
}
