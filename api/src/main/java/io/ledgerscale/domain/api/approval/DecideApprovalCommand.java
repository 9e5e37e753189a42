// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Approves (the held change then runs, as the approver's, in the same transaction) or rejects a
 * request. The decider is the command's actor, and must not be the requester.
 */
public record DecideApprovalCommand(String requestId, boolean approve, String reason) {
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.approval(requestId);
  }
}
