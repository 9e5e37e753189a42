// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

/**
 * The issuer's discovery document could not be fetched or is unusable; the message says which and
 * why.
 */
public class OidcUnavailableException extends RuntimeException {
  public OidcUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
