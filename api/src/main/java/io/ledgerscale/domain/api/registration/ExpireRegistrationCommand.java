// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The scheduler ends a pending registration that timed out. */
public record ExpireRegistrationCommand(String authId) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.registration(authId);
  }
}
