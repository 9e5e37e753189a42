// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * One interactive registration by auth id, answered from its own stream ({@code
 * registration-<authId>}) rather than the pending-registrations read model: the login page, the
 * OIDC confirmation and the client's long poll see a registration, its approval or rejection as
 * soon as the command is acknowledged, and a stopped read model cannot make an honest login
 * "unknown". The auth id names the stream, so no read model is needed to find it. The list of
 * pending registrations stays on the read model.
 */
@Component
public class RegistrationLookup {
  private final AggregateHistory history;

  public RegistrationLookup(AggregateHistory history) {
    this.history = history;
  }

  @QueryHandler
  public PendingRegistrationView handle(FindPendingRegistrationQuery query) {
    if (query.authId() == null || query.authId().isEmpty()) {
      return null;
    }
    return fold(history.of(AggregateIds.registration(query.authId())));
  }

  /** The registration as the pending-registrations read model would show it; null if none. */
  static PendingRegistrationView fold(List<DomainEventMessage<?>> events) {
    PendingRegistrationView v = null;
    for (DomainEventMessage<?> message : events) {
      Object e = message.getPayload();
      if (e instanceof RegistrationRequestedEvent r) {
        v =
            new PendingRegistrationView(
                r.authId(),
                r.machineKey(),
                r.nodeKey(),
                r.hostname(),
                r.requestedTags() == null ? List.of() : List.copyOf(r.requestedTags()),
                message.getTimestamp(),
                r.expiresAt(),
                "PENDING",
                null,
                null,
                null);
      } else if (v == null) {
        continue;
      } else if (e instanceof RegistrationApprovedEvent a) {
        v = with(v, "APPROVED", a.nodeId(), a.userId(), v.reason());
      } else if (e instanceof RegistrationRejectedEvent r) {
        v = with(v, "REJECTED", v.nodeId(), v.userId(), r.reason());
      } else if (e instanceof RegistrationExpiredEvent) {
        v = with(v, "EXPIRED", v.nodeId(), v.userId(), v.reason());
      }
    }
    return v;
  }

  private static PendingRegistrationView with(
      PendingRegistrationView v, String status, Long nodeId, Long userId, String reason) {
    return new PendingRegistrationView(
        v.authId(),
        v.machineKey(),
        v.nodeKey(),
        v.hostname(),
        v.requestedTags(),
        v.requestedAt(),
        v.expiresAt(),
        status,
        nodeId,
        userId,
        reason);
  }
}
