// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.approval;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.approval.ApprovalGrantedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRejectedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestExpiredEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestedEvent;
import io.ledgerscale.domain.api.approval.DecideApprovalCommand;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.approval.HeldCommands;
import io.ledgerscale.domain.api.approval.RequestApprovalCommand;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.support.Refusals;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A change held for a second admin (four-eyes, id {@code approval-<requestId>}). The requester is
 * whoever sent the request; any other admin may approve or reject it once, before it expires. A
 * decision by the requester, a second decision or a late one is refused and recorded. Expiry is an
 * event of its own, recorded by the server's sweep or by the first late decision.
 */
public class ApprovalRequest {
  @AggregateIdentifier private String id;
  private String requestId;
  private FourEyesAction action;
  private String commandJson;
  private String requesterType;
  private String requesterId;
  private Instant expiresAt;
  private String status;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected ApprovalRequest() {}

  @CommandHandler
  public ApprovalRequest(
      RequestApprovalCommand command,
      @MetaDataValue(AuditMetadata.ACTOR_TYPE) String actorType,
      @MetaDataValue(AuditMetadata.ACTOR_ID) String actorId,
      @MetaDataValue(AuditMetadata.ACTOR_NAME) String actorName) {
    // the edge that builds the request checks these; a request past them is a bug, not input
    if (command.action() == null
        || command.expiresAt() == null
        || command.commandJson() == null
        || command.commandJson().length() > RequestApprovalCommand.COMMAND_MAX
        || InputBounds.first(
                InputBounds.requiredText("requestId", command.requestId(), InputBounds.ID_TEXT_MAX),
                InputBounds.text("summary", command.summary(), RequestApprovalCommand.SUMMARY_MAX))
            .isPresent()) {
      throw new IllegalArgumentException("malformed approval request");
    }
    apply(
        new ApprovalRequestedEvent(
            command.requestId(),
            command.action(),
            command.commandJson(),
            command.summary(),
            actorType,
            actorId,
            actorName,
            command.expiresAt()));
  }

  /**
   * Records the decision of {@code decider} at {@code now}; answers the held command to run when it
   * is an approval, null for a rejection.
   */
  Object decide(DecideApprovalCommand command, Actor decider, Instant now) {
    String verb = command.approve() ? "approved" : "rejected";
    boolean due = "PENDING".equals(status) && !now.isBefore(expiresAt);
    if (due) {
      // the sweep has not recorded it yet: the expiry is recorded with the refusal (both commit)
      apply(new ApprovalRequestExpiredEvent(requestId, expiresAt));
    }
    if (due || "EXPIRED".equals(status)) {
      throw refuse(
          command,
          RefusalKind.CONFLICT,
          "request " + requestId + " expired at " + expiresAt + " and can no longer be " + verb);
    }
    if (!"PENDING".equals(status)) {
      throw refuse(
          command, RefusalKind.CONFLICT, "request " + requestId + " was already " + status);
    }
    if (Objects.equals(decider.type().name(), requesterType)
        && Objects.equals(decider.id(), requesterId)) {
      throw refuse(
          command,
          RefusalKind.NOT_PERMITTED,
          "four-eyes: a change cannot be " + verb + " by the admin who requested it");
    }
    if (InputBounds.reason("reason", command.reason()).isPresent()) {
      throw refuse(
          command,
          RefusalKind.INVALID,
          InputBounds.reason("reason", command.reason()).get().message());
    }
    if (!command.approve()) {
      apply(
          new ApprovalRejectedEvent(
              requestId,
              decider.type().name(),
              decider.id(),
              decider.name(),
              command.reason() == null ? "" : command.reason()));
      return null;
    }
    Object held;
    try {
      held = HeldCommands.read(action, commandJson);
    } catch (Exception e) {
      throw refuse(
          command, RefusalKind.INVALID, "the held change cannot be read: " + e.getMessage());
    }
    apply(new ApprovalGrantedEvent(requestId, decider.type().name(), decider.id(), decider.name()));
    return held;
  }

  /** Records the expiry when the request is pending and due at {@code now}; answers whether. */
  boolean expire(Instant now) {
    if (!"PENDING".equals(status) || now.isBefore(expiresAt)) {
      return false;
    }
    apply(new ApprovalRequestExpiredEvent(requestId, expiresAt));
    return true;
  }

  private RuntimeException refuse(Object command, RefusalKind kind, String reason) {
    return Refusals.refuse(command, "Approval", requestId, kind, reason);
  }

  @EventSourcingHandler
  void on(ApprovalRequestedEvent e) {
    id = AggregateIds.approval(e.requestId());
    requestId = e.requestId();
    action = e.action();
    commandJson = e.commandJson();
    requesterType = e.requesterType();
    requesterId = e.requesterId();
    expiresAt = e.expiresAt();
    status = "PENDING";
  }

  @EventSourcingHandler
  void on(ApprovalGrantedEvent e) {
    status = "APPROVED";
  }

  @EventSourcingHandler
  void on(ApprovalRejectedEvent e) {
    status = "REJECTED";
  }

  @EventSourcingHandler
  void on(ApprovalRequestExpiredEvent e) {
    status = "EXPIRED";
  }
}
