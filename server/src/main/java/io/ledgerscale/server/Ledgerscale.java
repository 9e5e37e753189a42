// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server;

import io.ledgerscale.server.config.ConfigEnvironmentPostProcessor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;

/**
 * The executable's entry point. {@code ledgerscale serve [-c FILE]} (or no arguments) runs the
 * server; any other arguments are a CLI command ({@code ledgerscale users list}, ...) handed to
 * {@code io.ledgerscale.cli.LedgerscaleCli}, looked up at run time so the server builds without the
 * CLI.
 */
public final class Ledgerscale {
  static final String CLI_CLASS = "io.ledgerscale.cli.LedgerscaleCli";

  private Ledgerscale() {}

  public static void main(String[] args) throws Exception {
    ServeArguments serve = ServeArguments.parse(args);
    if (serve == null) {
      runCli(args);
      return;
    }
    if (serve.configFile() != null) {
      System.setProperty(ConfigEnvironmentPostProcessor.CONFIG_PROPERTY, serve.configFile());
    }
    LedgerscaleApplication.vendorNoticesOff();
    SpringApplication.run(LedgerscaleApplication.class, serve.springArgs().toArray(String[]::new));
  }

  private static void runCli(String[] args) throws Exception {
    Method main;
    try {
      main = Class.forName(CLI_CLASS).getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      System.err.println(
          "ledgerscale: this build has no command-line interface ("
              + CLI_CLASS
              + " is missing); only 'ledgerscale serve [-c config.yaml]' is available");
      System.exit(2);
      return;
    }
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The arguments of {@code serve}: an optional config file, and anything else for Spring
   * (--server.port=...).
   */
  record ServeArguments(String configFile, List<String> springArgs) {

    /**
     * Null when the arguments are a CLI command rather than {@code serve}; {@code serve --help} is
     * one, so asking for help never starts a server.
     */
    static ServeArguments parse(String[] args) {
      String config = null;
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if ((a.equals("-c") || a.equals("--config")) && i + 1 < args.length) {
          config = args[++i];
        } else if (a.startsWith("--config=")) {
          config = a.substring("--config=".length());
        } else {
          rest.add(a);
        }
      }
      if (rest.isEmpty()) {
        return new ServeArguments(config, List.of());
      }
      if (!rest.get(0).equals("serve") || rest.contains("-h") || rest.contains("--help")) {
        return null;
      }
      return new ServeArguments(config, List.copyOf(rest.subList(1, rest.size())));
    }
  }
}
