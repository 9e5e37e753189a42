// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An admin rejects a pending registration. */
public record RejectRegistrationCommand(String authId, String reason) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.registration(authId);
  }
}
