// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.CliException;
import io.ledgerscale.cli.Output;
import io.ledgerscale.domain.policy.Policy;
import io.ledgerscale.server.config.ConfigException;
import io.ledgerscale.server.config.ConfigLoader;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.tls.PemKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code configtest}: reads the config file as {@code serve} would (the same file, environment
 * overrides and checks) without starting anything, plus the files it names that a start would read:
 * the TLS pair and the policy file. Exit status 1 with the reason when the server would refuse to
 * start, or would refuse the policy file; the warnings a start would log (unknown keys, a policy
 * file not there yet) go to stderr.
 */
@Command(
    name = "configtest",
    description = "Test the configuration: read and check it as 'serve' would, then exit.")
public class ConfigTestCommand extends ApiCommand {

  @Override
  protected int execute() {
    ConfigLoader.Loaded loaded;
    List<String> warnings;
    try {
      loaded = ConfigLoader.load(cli().configFile(), cli().env());
      warnings = new ArrayList<>(loaded.warnings());
      checkFiles(loaded.config(), warnings);
    } catch (ConfigException e) {
      throw new CliException(e.getMessage());
    }
    warnings.forEach(warning -> output().warn("Warning: " + warning));
    String source =
        loaded.source() == null
            ? "no config file found (./config.yaml, /etc/ledgerscale/config.yaml); the defaults"
            : loaded.source().toAbsolutePath().toString();
    output().result(Output.message("config", source), "Configuration is valid: " + source);
    return 0;
  }

  private static void checkFiles(LedgerscaleConfig config, List<String> warnings) {
    if (config.tlsCertPath != null && !config.tlsCertPath.isBlank()) {
      PemKeyStore.load(
          Path.of(config.tlsCertPath), Path.of(config.tlsKeyPath), "configtest".toCharArray());
    }
    if (config.policy.fromFile()) {
      Path file = config.policy.file();
      if (!Files.exists(file)) {
        // the server starts without it and reads it once it appears
        warnings.add("policy.path: " + file + " does not exist (yet)");
        return;
      }
      try {
        Policy.parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ConfigException("policy.path: cannot read " + file + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("policy.path: " + file + ": " + e.getMessage());
      }
    }
  }
}
