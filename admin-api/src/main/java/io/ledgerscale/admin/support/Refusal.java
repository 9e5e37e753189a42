// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.support;

import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import java.util.Optional;
import org.axonframework.messaging.HandlerExecutionException;

/** A refusal found in whatever Axon threw (as is, or wrapped with its kind as details). */
public record Refusal(RefusalKind kind, String reason) {

  public static Optional<Refusal> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CommandRefusedException refused) {
        return Optional.of(new Refusal(refused.kind(), refused.getMessage()));
      }
      if (t instanceof HandlerExecutionException wrapped
          && wrapped.getDetails().orElse(null) instanceof RefusalKind kind) {
        return Optional.of(new Refusal(kind, wrapped.getMessage()));
      }
    }
    return Optional.empty();
  }
}
