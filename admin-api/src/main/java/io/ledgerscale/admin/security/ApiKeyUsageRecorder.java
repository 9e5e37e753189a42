// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import io.ledgerscale.admin.support.ApiKeyPrincipal;
import io.ledgerscale.domain.api.apikey.MarkApiKeyUsedCommand;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records that a key was used, at most once a minute per key: the last-seen time stays useful while
 * the event store is not written on every request. Sent without waiting, so a slow store never
 * slows the request down.
 */
@Component
public class ApiKeyUsageRecorder {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(ApiKeyUsageRecorder.class);

  private final CommandGateway commands;
  private final Map<Long, Instant> lastMarked = new ConcurrentHashMap<>();

  public ApiKeyUsageRecorder(CommandGateway commands) {
    this.commands = commands;
  }

  void used(ApiKeyPrincipal key, Instant now) {
    boolean[] due = {false};
    lastMarked.compute(
        key.id(),
        (id, last) -> {
          if (last == null || !now.isBefore(last.plus(INTERVAL))) {
            due[0] = true;
            return now;
          }
          return last;
        });
    if (due[0]) {
      Actor actor = new Actor(ActorType.API_KEY, key.prefix(), "api key " + key.prefix());
      commands
          .send(
              new MarkApiKeyUsedCommand(key.id(), now),
              AuditMetadata.of(actor, Origin.REST, "", null))
          .exceptionally(
              failure -> {
                log.warn("could not record the use of {}: {}", key, failure.getMessage());
                return null;
              });
    }
  }
}
