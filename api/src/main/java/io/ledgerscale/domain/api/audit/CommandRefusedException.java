// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.audit;

/**
 * Thrown by a command handler that refuses a command. The command bus is configured not to roll
 * back on this exception, so a {@link CommandRefusedEvent} applied before throwing is committed:
 * the refusal is recorded, and nothing else changes because the handler applies nothing else.
 */
public class CommandRefusedException extends RuntimeException {
  private final RefusalKind kind;

  public CommandRefusedException(RefusalKind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public RefusalKind kind() {
    return kind;
  }
}
