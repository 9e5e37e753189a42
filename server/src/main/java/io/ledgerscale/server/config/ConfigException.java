// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.config;

/**
 * A configuration file or setting the server cannot run with; the message names the key and what is
 * wrong.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
