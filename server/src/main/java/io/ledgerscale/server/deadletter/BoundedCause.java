// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.deadletter;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;

/**
 * Every failed event is dead-lettered, with a cause that can always be stored and shown: the
 * exception's type and the first {@value #MAX_MESSAGE} characters of its message (and of its root
 * cause's, which is where a refused SQL statement says why), without control characters. The
 * message of a failure may quote the event's own oversized or illegal value; storing it verbatim
 * would make the dead-letter insert fail the way the projection did.
 */
public final class BoundedCause implements EnqueuePolicy<EventMessage<?>> {
  static final int MAX_MESSAGE = 500;

  @Override
  public EnqueueDecision<EventMessage<?>> decide(
      DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
    if (Transient.is(cause)) {
      // the database away, a lock timeout, the command bus busy: nothing is wrong with the event,
      // so it is not set aside; thrown from here, the failure makes the processor retry the batch
      // (with back-off), as it did for every failure before dead letters
      throw new TransientHandlerFailure(cause);
    }
    return Decisions.enqueue(of(cause));
  }

  /** A handler failure the processor retries instead of dead-lettering the event. */
  static final class TransientHandlerFailure extends RuntimeException {
    TransientHandlerFailure(Throwable cause) {
      super("transient failure, the batch is retried: " + cause, cause);
    }
  }

  static ThrowableCause of(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    if (root != cause) {
      message += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return new ThrowableCause(cause.getClass().getName(), bounded(message));
  }

  static String bounded(String message) {
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE + 1));
    for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (message.length() > MAX_MESSAGE) {
      out.append('…');
    }
    return out.toString();
  }
}
