// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.ApiKeyVerdict;
import io.ledgerscale.domain.api.query.FindApiKeyCredentialQuery;
import io.ledgerscale.domain.api.query.VerifyApiKeyQuery;
import io.ledgerscale.projections.apikey.ApiKeyProjection;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * Decides API-key authentication from the key's own events. The api-keys read model only suggests
 * which key a prefix names; whether that key exists, is deleted or expired, and its secret's hash
 * come from its stream ({@code apikey-<id>}), so a deletion or expiry is in force as soon as its
 * command is acknowledged, whatever the read model has processed. A prefix the read model does not
 * know is unknown only once the read model has processed every key creation in the store; until
 * then the answer is "cannot tell", which the caller refuses with a retry.
 */
@Component
public class ApiKeyVerification {
  static final String PROCESSOR =
      ApiKeyProjection.class.getAnnotation(ProcessingGroup.class).value();

  private final ApiKeyProjection apiKeys;
  private final AggregateHistory history;
  private final ReadModelCatchUp catchUp;

  public ApiKeyVerification(
      ApiKeyProjection apiKeys, AggregateHistory history, ReadModelCatchUp catchUp) {
    this.apiKeys = apiKeys;
    this.history = history;
    this.catchUp = catchUp;
  }

  @QueryHandler
  public ApiKeyVerdict handle(VerifyApiKeyQuery query) {
    if (query.prefix() == null) {
      return ApiKeyVerdict.unknown();
    }
    ApiKeyCredential found = verified(query.prefix());
    if (found != null) {
      return ApiKeyVerdict.of(found);
    }
    if (!catchUp.await(PROCESSOR, List.of(ApiKeyCreatedEvent.class))) {
      return ApiKeyVerdict.cannotTell();
    }
    // every creation is in the read model now, a key made a moment ago included
    found = verified(query.prefix());
    return found == null ? ApiKeyVerdict.unknown() : ApiKeyVerdict.of(found);
  }

  /** The key the read model names for the prefix, as its own events leave it; null if none. */
  private ApiKeyCredential verified(String prefix) {
    ApiKeyCredential suggested = apiKeys.handle(new FindApiKeyCredentialQuery(prefix));
    return suggested == null ? null : fold(history.of(AggregateIds.apiKey(suggested.id())), prefix);
  }

  /** The same state the ApiKey aggregate rebuilds from its events. */
  static ApiKeyCredential fold(List<DomainEventMessage<?>> events, String prefix) {
    ApiKeyCredential key = null;
    for (DomainEventMessage<?> message : events) {
      Object e = message.getPayload();
      if (e instanceof ApiKeyCreatedEvent c) {
        key = new ApiKeyCredential(c.apiKeyId(), c.prefix(), c.secretHash(), c.expiration(), false);
      } else if (key != null && e instanceof ApiKeyExpiredEvent x) {
        key = withExpiration(key, x.expiredAt());
      } else if (key != null && e instanceof ApiKeyDeletedEvent) {
        key =
            new ApiKeyCredential(key.id(), key.prefix(), key.secretHash(), key.expiration(), true);
      }
    }
    // a read model that names the wrong stream for a prefix names no key
    return key == null || !prefix.equals(key.prefix()) ? null : key;
  }

  private static ApiKeyCredential withExpiration(ApiKeyCredential key, Instant expiration) {
    return new ApiKeyCredential(
        key.id(), key.prefix(), key.secretHash(), expiration, key.deleted());
  }
}
