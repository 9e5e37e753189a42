// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api;

import java.time.Duration;

/**
 * Thrown instead of running a command when the server has no capacity left to run it within its
 * wait bound. Nothing was changed, so the caller may safely retry after {@link #retryAfter()}: the
 * gateway answers 429 with {@code Retry-After}, the admin API 503.
 */
public class ServerBusyException extends RuntimeException {
  private final Duration retryAfter;

  public ServerBusyException(String message, Duration retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
