// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.id;
import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;

/** API keys: created, used, expired, deleted. The secret hash never enters the trail. */
final class ApiKeyDescriptions {
  private ApiKeyDescriptions() {}

  static void register(Descriptions d) {
    d.on(ApiKeyCreatedEvent.class, ApiKeyDescriptions::apiKeyCreated);
    d.on(ApiKeyUsedEvent.class, ApiKeyDescriptions::apiKeyUsed);
    d.on(ApiKeyExpiredEvent.class, ApiKeyDescriptions::apiKeyExpired);
    d.on(ApiKeyDeletedEvent.class, ApiKeyDescriptions::apiKeyDeleted);
  }

  private static AuditDescription apiKeyCreated(ApiKeyCreatedEvent e) {
    return new AuditDescription(
        "apikey",
        id(e.apiKeyId()),
        none(),
        of("prefix", e.prefix(), "expiration", e.expiration()),
        "created API key " + e.prefix());
  }

  private static AuditDescription apiKeyUsed(ApiKeyUsedEvent e) {
    return new AuditDescription(
        "apikey",
        id(e.apiKeyId()),
        none(),
        of("lastSeen", e.usedAt()),
        "API key " + e.apiKeyId() + " used");
  }

  private static AuditDescription apiKeyExpired(ApiKeyExpiredEvent e) {
    return new AuditDescription(
        "apikey",
        id(e.apiKeyId()),
        none(),
        of("expiration", e.expiredAt()),
        "expired API key " + e.prefix());
  }

  private static AuditDescription apiKeyDeleted(ApiKeyDeletedEvent e) {
    return new AuditDescription(
        "apikey", id(e.apiKeyId()), none(), of("deleted", true), "deleted API key " + e.prefix());
  }
}
