// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The SSH check is refused; the waiting connection is rejected with the reason. */
public record RejectSshCheckCommand(String checkId, String reason) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.sshCheck(checkId);
  }
}
