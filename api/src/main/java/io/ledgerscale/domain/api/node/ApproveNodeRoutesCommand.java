// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import io.ledgerscale.domain.api.AggregateIds;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sets a node's approved routes (empty removes all). */
public record ApproveNodeRoutesCommand(long nodeId, List<String> routes) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.node(nodeId);
  }
}
