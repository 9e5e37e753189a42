// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.it.api.RunningServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI's main entry point against the running server, as an operator on another machine
 * would.
 */
abstract class CliTest extends RunningServer {

  /** {@code ledgerscale ARGS --address URL --api-key KEY}. */
  protected CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", base(), "--api-key", initialApiKey()));
    return CliRun.of(Map.of("HOME", "/nonexistent"), "", all.toArray(String[]::new));
  }

  /** The same, and it must succeed. */
  protected CliRun ok(String... args) {
    CliRun run = cli(args);
    assertThat(run.status()).as(run.toString()).isZero();
    return run;
  }
}
