// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * The server could not tell in time whether a presented API key exists (the key read model is
 * behind the event store). The request is refused with 503 and a retry, never let through and never
 * told "invalid key" for a key that may be valid.
 */
public final class ApiKeyUncheckableException extends AuthenticationServiceException {
  public ApiKeyUncheckableException() {
    super("the API key cannot be checked yet");
  }
}
