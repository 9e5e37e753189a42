// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A fish completion script for a picocli command tree (picocli writes bash's only): each command
 * offers its subcommands once the words before it name its path, and its options with their help.
 */
public final class FishCompletion {
  private FishCompletion() {}

  public static String script(CommandLine root) {
    String program = root.getCommandName();
    StringBuilder out = new StringBuilder();
    out.append("# fish completion for ").append(program).append('\n');
    out.append("complete -c ").append(program).append(" -f\n");
    describe(program, root, List.of(), out);
    return out.toString();
  }

  /** {@code path}: the command names from the root's first subcommand down to {@code command}. */
  private static void describe(
      String program, CommandLine command, List<String> path, StringBuilder out) {
    String condition = condition(path, command);
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      CommandSpec spec = sub.getValue().getCommandSpec();
      if (!sub.getKey().equals(spec.name())) {
        continue; // an alias: offered through the name only
      }
      out.append("complete -c ")
          .append(program)
          .append(" -n ")
          .append(quote(condition))
          .append(" -a ")
          .append(quote(sub.getKey()))
          .append(" -d ")
          .append(quote(firstLine(spec.usageMessage().description())))
          .append('\n');
    }
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.hidden()) {
        continue;
      }
      out.append("complete -c ").append(program);
      if (!path.isEmpty()) {
        out.append(" -n ")
            .append(quote("__fish_seen_subcommand_from " + path.get(path.size() - 1)));
      }
      for (String name : option.names()) {
        if (name.startsWith("--")) {
          out.append(" -l ").append(name.substring(2));
        } else if (name.length() == 2) {
          out.append(" -s ").append(name.substring(1));
        } else {
          out.append(" -o ").append(name.substring(1));
        }
      }
      if (option.arity().max() > 0) {
        out.append(" -r");
      }
      out.append(" -d ").append(quote(firstLine(option.description()))).append('\n');
    }
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      if (sub.getKey().equals(sub.getValue().getCommandSpec().name())) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(sub.getKey());
        describe(program, sub.getValue(), deeper, out);
      }
    }
  }

  /** Fish: no subcommand of this command yet, and (below the root) this command's name seen. */
  private static String condition(List<String> path, CommandLine command) {
    String children = String.join(" ", command.getSubcommands().keySet());
    if (path.isEmpty()) {
      return "not __fish_seen_subcommand_from " + children;
    }
    return "__fish_seen_subcommand_from "
        + path.get(path.size() - 1)
        + "; and not __fish_seen_subcommand_from "
        + children;
  }

  private static String firstLine(String[] description) {
    return description.length == 0 ? "" : description[0];
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
