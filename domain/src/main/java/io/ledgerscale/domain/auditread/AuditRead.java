// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.auditread;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.auditread.AuditTrailReadEvent;
import io.ledgerscale.domain.api.auditread.RecordAuditReadCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * One read of the audit trail (id {@code auditread-<readId>}): a stream of its own per read, so
 * reads never wait on each other or on a tailnet change. A read out of bounds is not recorded here:
 * it never reached the store, and the endpoint answered 400.
 */
public class AuditRead {
  @AggregateIdentifier private String id;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected AuditRead() {}

  @CommandHandler
  public AuditRead(RecordAuditReadCommand command) {
    if (command.check().isPresent()) {
      throw new IllegalArgumentException(command.check().get().message());
    }
    apply(
        new AuditTrailReadEvent(
            command.readId(), command.what(), command.query(), command.entries()));
  }

  @EventSourcingHandler
  void on(AuditTrailReadEvent event) {
    id = "auditread-" + event.readId();
  }
}
