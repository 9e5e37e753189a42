// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;

/** SSH checks: a connection waiting for its user to authenticate, and the answer. */
final class SshCheckDescriptions {
  private SshCheckDescriptions() {}

  static void register(Descriptions d) {
    d.on(SshCheckRequestedEvent.class, SshCheckDescriptions::sshCheckRequested);
    d.on(SshCheckApprovedEvent.class, SshCheckDescriptions::sshCheckApproved);
    d.on(SshCheckRejectedEvent.class, SshCheckDescriptions::sshCheckRejected);
  }

  private static AuditDescription sshCheckRequested(SshCheckRequestedEvent e) {
    return new AuditDescription(
        "sshcheck",
        e.checkId(),
        none(),
        of(
            "srcNodeId",
            e.srcNodeId(),
            "dstNodeId",
            e.dstNodeId(),
            "userId",
            e.userId(),
            "sshUser",
            e.sshUser(),
            "localUser",
            e.localUser(),
            "expiresAt",
            e.expiresAt()),
        "SSH from node "
            + e.srcNodeId()
            + " to "
            + e.localUser()
            + " on node "
            + e.dstNodeId()
            + " waits for user "
            + e.userId()
            + " to authenticate");
  }

  private static AuditDescription sshCheckApproved(SshCheckApprovedEvent e) {
    return new AuditDescription(
        "sshcheck",
        e.checkId(),
        of("status", "PENDING"),
        of("status", "APPROVED", "userId", e.userId()),
        "user " + e.userId() + " passed the SSH check");
  }

  private static AuditDescription sshCheckRejected(SshCheckRejectedEvent e) {
    return new AuditDescription(
        "sshcheck",
        e.checkId(),
        of("status", "PENDING"),
        of("status", "REJECTED", "reason", e.reason()),
        "SSH check refused: " + e.reason());
  }
}
