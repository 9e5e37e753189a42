// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records that a request passed its expiry undecided. Answers true when this recorded it, false
 * when the request was decided or expired already or is not yet due (so a sweep on each of several
 * instances records it once).
 */
public record ExpireApprovalRequestCommand(String requestId) {
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.approval(requestId);
  }
}
