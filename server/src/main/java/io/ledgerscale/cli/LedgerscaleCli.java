// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import io.ledgerscale.cli.command.ApiKeysCommand;
import io.ledgerscale.cli.command.AuditCommand;
import io.ledgerscale.cli.command.AuthCommand;
import io.ledgerscale.cli.command.DeadLettersCommand;
import io.ledgerscale.cli.command.HealthCommand;
import io.ledgerscale.cli.command.NodesCommand;
import io.ledgerscale.cli.command.PolicyCommand;
import io.ledgerscale.cli.command.PreAuthKeysCommand;
import io.ledgerscale.cli.command.ReplayCommand;
import io.ledgerscale.cli.command.UsersCommand;
import io.ledgerscale.cli.command.VersionCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ledgerscale} command line: Headscale's command tree, flags and aliases, talking to a
 * running server over the admin REST API. The server's main class hands it every invocation that is
 * not {@code serve}.
 */
@Command(
    name = "ledgerscale",
    description = "Ledgerscale: an event-sourced, audited control server for Tailscale clients.",
    subcommands = {
      UsersCommand.class,
      NodesCommand.class,
      PreAuthKeysCommand.class,
      ApiKeysCommand.class,
      AuthCommand.class,
      PolicyCommand.class,
      AuditCommand.class,
      ReplayCommand.class,
      DeadLettersCommand.class,
      HealthCommand.class,
      VersionCommand.class
    })
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
      description = "Config file (for cli.address, cli.api_key).")
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
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    commandLine.setExecutionExceptionHandler(
        (failure, command, parsed) -> {
          if (failure instanceof CliException) {
            cli.reportError(failure.getMessage());
            return 1;
          }
          throw failure;
        });
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  public Output output() {
    if (output == null) {
      output = new Output(outputFormat, out, err);
    }
    return output;
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

  private void reportError(String message) {
    try {
      output().error(message);
    } catch (CliException badFormat) {
      err.println("Error: " + message);
    }
  }
}
