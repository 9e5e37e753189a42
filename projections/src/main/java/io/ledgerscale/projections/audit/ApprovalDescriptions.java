// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.approval.ApprovalGrantedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRejectedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestExpiredEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestedEvent;

/** Four-eyes approvals: asked, granted, rejected, expired undecided. */
final class ApprovalDescriptions {
  private ApprovalDescriptions() {}

  static void register(Descriptions d) {
    d.on(ApprovalRequestedEvent.class, ApprovalDescriptions::approvalRequested);
    d.on(ApprovalGrantedEvent.class, ApprovalDescriptions::approvalGranted);
    d.on(ApprovalRequestExpiredEvent.class, ApprovalDescriptions::approvalRequestExpired);
    d.on(ApprovalRejectedEvent.class, ApprovalDescriptions::approvalRejected);
  }

  private static AuditDescription approvalRequested(ApprovalRequestedEvent e) {
    return new AuditDescription(
        "approval",
        e.requestId(),
        none(),
        of("action", e.action().key(), "summary", e.summary(), "expiresAt", e.expiresAt()),
        "asked another admin to approve: " + e.summary() + " (until " + e.expiresAt() + ")");
  }

  private static AuditDescription approvalGranted(ApprovalGrantedEvent e) {
    return new AuditDescription(
        "approval",
        e.requestId(),
        of("status", "PENDING"),
        of("status", "APPROVED", "approver", e.approverName()),
        "approved request " + e.requestId() + "; the change runs as the approver's");
  }

  private static AuditDescription approvalRequestExpired(ApprovalRequestExpiredEvent e) {
    return new AuditDescription(
        "approval",
        e.requestId(),
        of("status", "PENDING"),
        of("status", "EXPIRED", "expiresAt", e.expiresAt()),
        "request "
            + e.requestId()
            + " expired undecided at "
            + e.expiresAt()
            + "; the held change never ran");
  }

  private static AuditDescription approvalRejected(ApprovalRejectedEvent e) {
    return new AuditDescription(
        "approval",
        e.requestId(),
        of("status", "PENDING"),
        of("status", "REJECTED", "reason", e.reason()),
        "rejected request "
            + e.requestId()
            + (e.reason() == null || e.reason().isEmpty() ? "" : ": " + e.reason()));
  }
}
