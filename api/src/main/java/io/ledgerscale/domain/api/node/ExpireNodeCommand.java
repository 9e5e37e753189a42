// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import io.ledgerscale.domain.api.AggregateIds;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Expires a node now (expiry null), at a time, or disables its expiry. */
public record ExpireNodeCommand(long nodeId, Instant expiry, boolean disableExpiry) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.node(nodeId);
  }
}
