// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.policy;

import io.ledgerscale.domain.api.AggregateIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the policy document (HuJSON, kept verbatim). */
public record SetPolicyCommand(String policy) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.POLICY;
  }
}
