// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;

/** Interactive registrations waiting for an admin: asked, approved, rejected, timed out. */
final class RegistrationDescriptions {
  private RegistrationDescriptions() {}

  static void register(Descriptions d) {
    d.on(RegistrationRequestedEvent.class, RegistrationDescriptions::registrationRequested);
    d.on(RegistrationApprovedEvent.class, RegistrationDescriptions::registrationApproved);
    d.on(RegistrationRejectedEvent.class, RegistrationDescriptions::registrationRejected);
    d.on(RegistrationExpiredEvent.class, RegistrationDescriptions::registrationExpired);
  }

  private static AuditDescription registrationRequested(RegistrationRequestedEvent e) {
    return new AuditDescription(
        "registration",
        e.authId(),
        none(),
        of(
            "hostname",
            e.hostname(),
            "machineKey",
            e.machineKey(),
            "requestedTags",
            e.requestedTags(),
            "expiresAt",
            e.expiresAt()),
        "node " + e.hostname() + " asked to register");
  }

  private static AuditDescription registrationApproved(RegistrationApprovedEvent e) {
    return new AuditDescription(
        "registration",
        e.authId(),
        of("status", "PENDING"),
        of("status", "APPROVED", "userId", e.userId(), "nodeId", e.nodeId()),
        "approved registration as node " + e.nodeId() + " for user " + e.userId());
  }

  private static AuditDescription registrationRejected(RegistrationRejectedEvent e) {
    return new AuditDescription(
        "registration",
        e.authId(),
        of("status", "PENDING"),
        of("status", "REJECTED", "reason", e.reason()),
        "rejected registration: " + e.reason());
  }

  private static AuditDescription registrationExpired(RegistrationExpiredEvent e) {
    return new AuditDescription(
        "registration",
        e.authId(),
        of("status", "PENDING"),
        of("status", "EXPIRED"),
        "registration timed out");
  }
}
