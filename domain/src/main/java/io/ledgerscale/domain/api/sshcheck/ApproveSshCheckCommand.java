// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The source node's owner authenticated again (or an admin vouches for them): the waiting SSH connection may go on,
 * and the user counts as recently authenticated for the checks that follow within their check period.
 */
public record ApproveSshCheckCommand(String checkId) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.sshCheck(checkId);
  }
}
