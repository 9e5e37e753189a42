// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import io.ledgerscale.cli.command.CommandTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ledgerscale} command line: Headscale's command tree, flags and aliases, talking to a
 * running server over the admin REST API. The server's main class hands it every invocation that is
 * not {@code serve}.
 */
@Command(
    name = "ledgerscale",
    description = "Ledgerscale: an event-sourced, audited control server for Tailscale clients.")
public class LedgerscaleCli implements Runnable {
  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      defaultValue = "",
      description = "Output format: table (default), json, json-line or yaml.")
  String outputFormat;

  @Option(
      names = "--force",
      scope = ScopeType.INHERIT,
      description = "Do not ask for confirmation.")
  boolean force;

  @Option(
      names = {"-c", "--config"},
      scope = ScopeType.INHERIT,
      description =
          "Config file (the server's; the CLI reads cli.*, listen_addr and data_dir from it).")
  String configFile;

  @Option(
      names = "--address",
      scope = ScopeType.INHERIT,
      description =
          "Server address, e.g. https://ledgerscale.example.com (env LEDGERSCALE_CLI_ADDRESS).")
  String address;

  @Option(
      names = "--api-key",
      scope = ScopeType.INHERIT,
      description = "API key (env LEDGERSCALE_CLI_API_KEY).")
  String apiKey;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help.")
  boolean help;

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private Output output;
  private ApiClient api;

  LedgerscaleCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  /** Runs one invocation and answers its exit status; tests call this with their own streams. */
  public static int run(
      String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    LedgerscaleCli cli = new LedgerscaleCli(env, in, out, err);
    CommandLine commandLine = commandLine(cli, args);
    commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    commandLine.setExecutionExceptionHandler(new ErrorReport(cli));
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The command line for {@code args}: at each level only the command the next word names, or every
   * command of that level when the word names none (help, a group alone, a typo), so that help and
   * suggestions see them all.
   */
  static CommandLine commandLine(LedgerscaleCli cli, String[] args) {
    CommandLine root = new CommandLine(cli);
    CommandLine parent = root;
    List<Class<?>> offered = CommandTree.TOP;
    int from = 0;
    while (!offered.isEmpty()) {
      int at = nextWord(parent, args, from);
      Class<?> named = at < 0 ? null : CommandTree.named(offered, args[at]);
      if (named == null) {
        addAll(parent, offered);
        break;
      }
      parent.addSubcommand(named);
      parent = parent.getSubcommands().get(CommandTree.name(named));
      offered = CommandTree.subcommands(named);
      from = at + 1;
    }
    return root;
  }

  private static void addAll(CommandLine parent, List<Class<?>> commands) {
    for (Class<?> command : commands) {
      parent.addSubcommand(command);
      addAll(
          parent.getSubcommands().get(CommandTree.name(command)), CommandTree.subcommands(command));
    }
  }

  /** The full command tree, for help and shell completion. */
  public CommandLine fullCommandLine() {
    return commandLine(new LedgerscaleCli(env, in, out, err), new String[0]);
  }

  /**
   * The index of the first word from {@code from} on that is no option of {@code command} (nor an
   * option's value), or -1.
   */
  static int nextWord(CommandLine command, String[] args, int from) {
    Set<String> takingValues = new HashSet<>();
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.arity().max() > 0) {
        takingValues.addAll(Arrays.asList(option.names()));
      }
    }
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (takingValues.contains(arg)) {
        i++;
      } else if (arg.equals("--")) {
        return -1;
      } else if (!arg.startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void run() {
    fullCommandLine().usage(out);
  }

  public Output output() {
    if (output == null) {
      output = new Output(outputFormat, out, err);
    }
    return output;
  }

  /** The config file named by -c/--config, or null. */
  public String configFile() {
    return configFile;
  }

  public Map<String, String> env() {
    return env;
  }

  public ApiClient api() {
    if (api == null) {
      CliSettings settings = CliSettings.load(configFile, env);
      api =
          new ApiClient(
              settings.address(address),
              settings.apiKey(apiKey).orElse(null),
              settings.timeout(),
              settings.insecure());
    }
    return api;
  }

  /** Asks before something destructive; --force answers yes. */
  public boolean confirm(String question) {
    if (force) {
      return true;
    }
    err.print(question + " [y/N] ");
    err.flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      return answer != null
          && (answer.trim().toLowerCase(Locale.ROOT).equals("y")
              || answer.trim().toLowerCase(Locale.ROOT).equals("yes"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A CliException is a message for the operator and exit status 1; anything else a bug with its
   * stack trace. A class rather than a lambda: the lambda's proxy kept picocli's handler interface
   * out of the class-data archive.
   */
  private static final class ErrorReport implements CommandLine.IExecutionExceptionHandler {
    private final LedgerscaleCli cli;

    ErrorReport(LedgerscaleCli cli) {
      this.cli = cli;
    }

    @Override
    public int handleExecutionException(
        Exception failure, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
      if (failure instanceof CliException) {
        cli.reportError(failure.getMessage());
        return 1;
      }
      throw failure;
    }
  }

  private void reportError(String message) {
    try {
      output().error(message);
    } catch (CliException badFormat) {
      err.println("Error: " + message);
    }
  }
}
