// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command: it reaches the server, the output and the global flags through the root command.
 */
public abstract class ApiCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  protected LedgerscaleCli cli() {
    return (LedgerscaleCli) spec.root().userObject();
  }

  protected ApiClient api() {
    return cli().api();
  }

  protected Output output() {
    return cli().output();
  }

  @Override
  public Integer call() throws Exception {
    return execute();
  }

  /** Does the work and answers the exit status. */
  protected abstract int execute() throws Exception;
}
