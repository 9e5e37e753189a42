// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.apikey;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.apikey.DeleteApiKeyCommand;
import io.ledgerscale.domain.api.apikey.ExpireApiKeyCommand;
import io.ledgerscale.domain.api.apikey.IssuedApiKey;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.support.Secrets;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/** Creates, expires and deletes API keys; the tailnet allocates ids and resolves prefixes. */
public class ApiKeyCommandHandler {
  /** Headscale's default lifetime for an API key. */
  static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);

  private final Repository<Tailnet> tailnets;
  private final Repository<ApiKey> apiKeys;
  private final Clock clock;

  public ApiKeyCommandHandler(
      Repository<Tailnet> tailnets, Repository<ApiKey> apiKeys, Clock clock) {
    this.tailnets = tailnets;
    this.apiKeys = apiKeys;
    this.clock = clock;
  }

  @CommandHandler
  public IssuedApiKey handle(CreateApiKeyCommand command) throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    Instant now = clock.instant();
    Instant expiration =
        command.expiration() == null ? now.plus(DEFAULT_LIFETIME) : command.expiration();
    if (!expiration.isAfter(now)) {
      throw tailnet.invoke(
          t ->
              t.refuse(
                  command, "ApiKey", null, RefusalKind.INVALID, "the expiration is in the past"));
    }
    tailnet.execute(
        t ->
            t.requireWithinBounds(
                command, "ApiKey", null, InputBounds.instant("expiration", expiration)));
    Secrets.NewKey key = tailnet.invoke(t -> t.newKey(Secrets.API_KEY));
    long apiKeyId = tailnet.invoke(t -> t.reserveApiKey(key.prefix()));
    apiKeys.newInstance(
        () ->
            new ApiKey(
                new ApiKeyCreatedEvent(apiKeyId, key.prefix(), key.secretHash(), expiration)));
    return new IssuedApiKey(apiKeyId, key.text(), expiration);
  }

  @CommandHandler
  public void handle(ExpireApiKeyCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    long apiKeyId =
        tailnet.invoke(t -> t.resolveApiKey(command, command.apiKeyId(), command.prefix()));
    apiKeys.load(AggregateIds.apiKey(apiKeyId)).execute(k -> k.expire(command, clock.instant()));
  }

  @CommandHandler
  public void handle(DeleteApiKeyCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    long apiKeyId =
        tailnet.invoke(t -> t.resolveApiKey(command, command.apiKeyId(), command.prefix()));
    apiKeys.load(AggregateIds.apiKey(apiKeyId)).execute(ApiKey::delete);
    tailnet.execute(t -> t.releaseApiKey(apiKeyId));
  }
}
