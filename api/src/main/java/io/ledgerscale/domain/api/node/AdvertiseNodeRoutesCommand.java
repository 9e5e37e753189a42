// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import io.ledgerscale.domain.api.AggregateIds;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The routes a node announces (Hostinfo.RoutableIPs), sent by the gateway when the set differs from
 * the last one reported; the same set again changes nothing.
 */
public record AdvertiseNodeRoutesCommand(long nodeId, List<String> routes) {
  /** The aggregate this command goes to (see {@link AggregateIds}). */
  @TargetAggregateIdentifier
  public String targetAggregateId() {
    return AggregateIds.node(nodeId);
  }
}
