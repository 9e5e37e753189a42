// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli.command;

import io.ledgerscale.cli.ApiCommand;
import io.ledgerscale.cli.Output;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import java.security.SecureRandom;
import picocli.CommandLine.Command;

/** {@code generate}: Headscale's key generators; needs no server. */
@Command(name = "generate", aliases = "gen", description = "Generate commands.")
public class GenerateCommand {

  /**
   * {@code generate private-key}: a Noise private key in the file format of {@code
   * noise.private_key_path} ({@code privkey:} and 64 hex digits), made as the server makes its own.
   */
  @Command(
      name = "private-key",
      description = "Generate a private key for the server (noise.private_key_path).")
  static class PrivateKey extends ApiCommand {
    @Override
    protected int execute() {
      String key = KeyText.format(KeyText.PRIVATE, Curve25519.generatePrivate(new SecureRandom()));
      output().result(Output.message("private_key", key), key);
      return 0;
    }
  }
}
