// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One CLI invocation through its real entry point, in process: exit status and what it printed. */
record CliCall(int status, String out, String err) {

  static CliCall withInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        LedgerscaleCli.run(
            args,
            Map.of("HOME", "/nonexistent"),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliCall(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static CliCall of(String... args) {
    return withInput("", args);
  }

  @Override
  public String toString() {
    return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
