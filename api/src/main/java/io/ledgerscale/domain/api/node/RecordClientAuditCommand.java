// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A node reports an auditable action of its own (tailcfg.AuditLogRequest, {@code POST
 * /machine/audit-log}), e.g. its user disconnecting it: recorded on the node's stream with the node
 * as actor. {@code clientTime} is what the node says, for information only (null when it sent
 * none).
 */
public record RecordClientAuditCommand(
    long nodeId, String nodeKey, String action, String details, Instant clientTime) {

  /** The actions Tailscale clients define (tailcfg.ClientAuditAction); others are refused. */
  public static final Set<String> ACTIONS = Set.of("DISCONNECT_NODE");

  public static final int DETAILS_MAX = 1024;

  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.node(nodeId);
  }

  /**
   * The first bound this command breaks; checked before the command is sent, and again on arrival.
   */
  public static Optional<BoundViolation> check(String action, String details, Instant clientTime) {
    if (action == null || !ACTIONS.contains(action)) {
      return Optional.of(
          new BoundViolation(
              "Action",
              "is not an action this server records (known: " + String.join(", ", ACTIONS) + ")"));
    }
    if ("DISCONNECT_NODE".equals(action) && (details == null || details.isBlank())) {
      return Optional.of(new BoundViolation("Details", "a disconnect must give a reason"));
    }
    return InputBounds.first(
        InputBounds.text("Details", details, DETAILS_MAX),
        InputBounds.instant("Timestamp", clientTime));
  }
}
