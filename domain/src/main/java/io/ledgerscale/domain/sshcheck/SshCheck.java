// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.sshcheck;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.RejectSshCheckCommand;
import io.ledgerscale.domain.api.sshcheck.SshCheckApprovedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRejectedEvent;
import io.ledgerscale.domain.api.sshcheck.SshCheckRequestedEvent;
import io.ledgerscale.domain.support.Refusals;
import java.time.Clock;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * One SSH connection in check mode, waiting for its user. Decided once: approved or rejected (or it
 * times out).
 */
public class SshCheck {

  enum Status {
    PENDING,
    APPROVED,
    REJECTED
  }

  @AggregateIdentifier private String id;
  private String checkId;
  private long userId;
  private Instant expiresAt;
  private Status status;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected SshCheck() {}

  SshCheck(SshCheckRequestedEvent requested) {
    apply(requested);
  }

  @CommandHandler
  public void handle(ApproveSshCheckCommand command, Clock clock) {
    requirePending(command);
    if (!expiresAt.isAfter(clock.instant())) {
      throw refuse(command, RefusalKind.CONFLICT, "SSH check timed out at " + expiresAt);
    }
    if (command.userId() != null && command.userId() != userId) {
      // someone else's login proves nothing about the person at the source device
      throw refuse(
          command, RefusalKind.NOT_PERMITTED, "only user " + userId + " can pass this SSH check");
    }
    apply(new SshCheckApprovedEvent(checkId, userId));
  }

  @CommandHandler
  public void handle(RejectSshCheckCommand command) {
    requirePending(command);
    Refusals.requireWithinBounds(
        command, "SshCheck", checkId, InputBounds.reason("reason", command.reason()));
    apply(new SshCheckRejectedEvent(checkId, command.reason() == null ? "" : command.reason()));
  }

  private void requirePending(Object command) {
    if (status != Status.PENDING) {
      throw refuse(
          command,
          RefusalKind.CONFLICT,
          "SSH check is " + status.name().toLowerCase() + ", not pending");
    }
  }

  private RuntimeException refuse(Object command, RefusalKind kind, String reason) {
    return Refusals.refuse(command, "SshCheck", checkId, kind, reason);
  }

  @EventSourcingHandler
  void on(SshCheckRequestedEvent event) {
    id = AggregateIds.sshCheck(event.checkId());
    checkId = event.checkId();
    userId = event.userId();
    expiresAt = event.expiresAt();
    status = Status.PENDING;
  }

  @EventSourcingHandler
  void on(SshCheckApprovedEvent event) {
    status = Status.APPROVED;
  }

  @EventSourcingHandler
  void on(SshCheckRejectedEvent event) {
    status = Status.REJECTED;
  }
}
