// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The source node's owner authenticated again, so the waiting SSH connection may go on and the user
 * counts as recently authenticated for the checks that follow within their check period. {@code
 * userId} is who logged in (through OIDC); it must be the check's user. Null when an admin vouches
 * for the user (CLI or REST).
 */
public record ApproveSshCheckCommand(String checkId, Long userId) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.sshCheck(checkId);
  }
}
