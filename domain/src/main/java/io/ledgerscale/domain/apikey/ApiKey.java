// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.apikey;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.apikey.MarkApiKeyUsedCommand;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.support.Refusals;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** An admin API key. Only the hash of its secret is kept. */
public class ApiKey {
  /** Uses closer together than this are not worth an event each. */
  static final Duration USE_GRANULARITY = Duration.ofMinutes(1);

  @AggregateIdentifier private String id;
  private long apiKeyId;
  private String prefix;
  private Instant expiration;
  private Instant lastUsed;
  private boolean deleted;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected ApiKey() {}

  ApiKey(ApiKeyCreatedEvent created) {
    apply(created);
  }

  @CommandHandler
  public void handle(MarkApiKeyUsedCommand command) {
    if (deleted) {
      throw Refusals.refuse(
          command,
          "ApiKey",
          apiKeyId,
          RefusalKind.NOT_FOUND,
          "API key " + apiKeyId + " was deleted");
    }
    if (lastUsed != null && command.usedAt().isBefore(lastUsed.plus(USE_GRANULARITY))) {
      return;
    }
    apply(new ApiKeyUsedEvent(apiKeyId, command.usedAt()));
  }

  void expire(Object command, Instant now) {
    if (!expiration.isAfter(now)) {
      throw Refusals.refuse(
          command,
          "ApiKey",
          apiKeyId,
          RefusalKind.CONFLICT,
          "API key " + prefix + " has already expired");
    }
    apply(new ApiKeyExpiredEvent(apiKeyId, prefix, now));
  }

  void delete() {
    apply(new ApiKeyDeletedEvent(apiKeyId, prefix));
  }

  @EventSourcingHandler
  void on(ApiKeyCreatedEvent event) {
    id = AggregateIds.apiKey(event.apiKeyId());
    apiKeyId = event.apiKeyId();
    prefix = event.prefix();
    expiration = event.expiration();
  }

  @EventSourcingHandler
  void on(ApiKeyExpiredEvent event) {
    expiration = event.expiredAt();
  }

  @EventSourcingHandler
  void on(ApiKeyUsedEvent event) {
    lastUsed = event.usedAt();
  }

  @EventSourcingHandler
  void on(ApiKeyDeletedEvent event) {
    deleted = true;
  }
}
