// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.cli;

/** A command failed in a way the operator should read: printed as the error, exit status 1. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message, null, false, false);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
