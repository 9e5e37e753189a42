// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.connectivity;

import java.time.Instant;
import java.util.List;

/**
 * A node's map session opened ({@code online}) or ended on {@code instanceId}. Going offline only
 * counts from the instance that holds the session: a newer session elsewhere wins.
 */
public record PresenceChange(long nodeId, boolean online, String instanceId, Instant at)
    implements ConnectivityWrite {

  @Override
  public NodeConnectivity applyTo(NodeConnectivity before) {
    if (before == null) {
      return new NodeConnectivity(nodeId, List.of(), null, null, null, online, at, instanceId, at);
    }
    if (before.updatedAt() != null && before.updatedAt().isAfter(at)) {
      return before;
    }
    if (!online && before.instanceId() != null && !before.instanceId().equals(instanceId)) {
      return before;
    }
    return new NodeConnectivity(
        nodeId,
        before.endpoints(),
        before.discoKey(),
        before.homeDerp(),
        before.hostinfo(),
        online,
        NodeConnectivity.later(before.lastSeen(), at),
        instanceId,
        at);
  }
}
