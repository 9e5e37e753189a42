// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.id;
import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;

/** Pre-auth keys: created, used, expired, deleted. The secret hash never enters the trail. */
final class PreAuthKeyDescriptions {
  private PreAuthKeyDescriptions() {}

  static void register(Descriptions d) {
    d.on(PreAuthKeyCreatedEvent.class, PreAuthKeyDescriptions::preAuthKeyCreated);
    d.on(PreAuthKeyUsedEvent.class, PreAuthKeyDescriptions::preAuthKeyUsed);
    d.on(PreAuthKeyExpiredEvent.class, PreAuthKeyDescriptions::preAuthKeyExpired);
    d.on(PreAuthKeyDeletedEvent.class, PreAuthKeyDescriptions::preAuthKeyDeleted);
  }

  private static AuditDescription preAuthKeyCreated(PreAuthKeyCreatedEvent e) {
    return new AuditDescription(
        "preauthkey",
        id(e.keyId()),
        none(),
        of(
            "prefix",
            e.prefix(),
            "userId",
            e.userId(),
            "reusable",
            e.reusable(),
            "ephemeral",
            e.ephemeral(),
            "expiration",
            e.expiration(),
            "aclTags",
            e.aclTags()),
        "created pre-auth key "
            + e.prefix()
            + (e.userId() == null ? " for tags " + e.aclTags() : " for user " + e.userId()));
  }

  private static AuditDescription preAuthKeyUsed(PreAuthKeyUsedEvent e) {
    return new AuditDescription(
        "preauthkey",
        id(e.keyId()),
        none(),
        of("nodeId", e.nodeId()),
        "pre-auth key " + e.keyId() + " registered node " + e.nodeId());
  }

  private static AuditDescription preAuthKeyExpired(PreAuthKeyExpiredEvent e) {
    return new AuditDescription(
        "preauthkey",
        id(e.keyId()),
        none(),
        of("expiration", e.expiredAt()),
        "expired pre-auth key " + e.keyId());
  }

  private static AuditDescription preAuthKeyDeleted(PreAuthKeyDeletedEvent e) {
    return new AuditDescription(
        "preauthkey",
        id(e.keyId()),
        none(),
        of("deleted", true),
        "deleted pre-auth key " + e.keyId());
  }
}
