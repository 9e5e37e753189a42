// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.registration.ExpireRegistrationCommand;
import io.ledgerscale.domain.api.registration.RegistrationApprovedEvent;
import io.ledgerscale.domain.api.registration.RegistrationExpiredEvent;
import io.ledgerscale.domain.api.registration.RegistrationRejectedEvent;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.registration.RejectRegistrationCommand;
import io.ledgerscale.domain.support.Refusals;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * An interactive registration waiting for an admin. It is decided once: approved, rejected or
 * expired.
 */
public class RegistrationRequest {

  enum Status {
    PENDING,
    APPROVED,
    REJECTED,
    EXPIRED
  }

  @AggregateIdentifier private String id;
  private String authId;
  private String machineKey;
  private String nodeKey;
  private String hostname;
  private List<String> requestedTags;
  private Instant requestedExpiry;
  private Instant expiresAt;
  private Status status;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected RegistrationRequest() {}

  RegistrationRequest(RegistrationRequestedEvent requested) {
    apply(requested);
  }

  @CommandHandler
  public void handle(RejectRegistrationCommand command) {
    requirePending(command);
    Refusals.requireWithinBounds(
        command, "Registration", authId, InputBounds.reason("reason", command.reason()));
    apply(new RegistrationRejectedEvent(authId, command.reason() == null ? "" : command.reason()));
  }

  @CommandHandler
  public void handle(ExpireRegistrationCommand command) {
    requirePending(command);
    apply(new RegistrationExpiredEvent(authId));
  }

  /** Refuses (recorded here) unless the request is still pending and not past its expiry. */
  void checkApprovable(Object command, Instant now) {
    requirePending(command);
    if (!expiresAt.isAfter(now)) {
      throw refuse(command, RefusalKind.CONFLICT, "registration request timed out at " + expiresAt);
    }
  }

  void approved(long userId, long nodeId) {
    apply(new RegistrationApprovedEvent(authId, userId, nodeId));
  }

  RuntimeException refuse(Object command, RefusalKind kind, String reason) {
    return Refusals.refuse(command, "Registration", authId, kind, reason);
  }

  String machineKey() {
    return machineKey;
  }

  String nodeKey() {
    return nodeKey;
  }

  String hostname() {
    return hostname;
  }

  List<String> requestedTags() {
    return requestedTags;
  }

  Instant requestedExpiry() {
    return requestedExpiry;
  }

  private void requirePending(Object command) {
    if (status != Status.PENDING) {
      throw refuse(
          command,
          RefusalKind.CONFLICT,
          "registration request is " + status.name().toLowerCase() + ", not pending");
    }
  }

  @EventSourcingHandler
  void on(RegistrationRequestedEvent event) {
    id = AggregateIds.registration(event.authId());
    authId = event.authId();
    machineKey = event.machineKey();
    nodeKey = event.nodeKey();
    hostname = event.hostname();
    requestedTags = event.requestedTags() == null ? List.of() : List.copyOf(event.requestedTags());
    requestedExpiry = event.requestedExpiry();
    expiresAt = event.expiresAt();
    status = Status.PENDING;
  }

  @EventSourcingHandler
  void on(RegistrationApprovedEvent event) {
    status = Status.APPROVED;
  }

  @EventSourcingHandler
  void on(RegistrationRejectedEvent event) {
    status = Status.REJECTED;
  }

  @EventSourcingHandler
  void on(RegistrationExpiredEvent event) {
    status = Status.EXPIRED;
  }
}
