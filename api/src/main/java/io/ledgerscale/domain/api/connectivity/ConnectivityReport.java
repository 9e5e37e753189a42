// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.connectivity;

import java.time.Instant;
import java.util.List;

/**
 * One report from a client's map request. A null field means "not reported this time" and keeps the
 * stored value; a zero or null disco key never replaces a known one.
 */
public record ConnectivityReport(
    long nodeId,
    List<String> endpoints,
    String discoKey,
    Integer homeDerp,
    String hostinfo,
    String instanceId,
    Instant at)
    implements ConnectivityWrite {

  /** What a client sends before it has a disco key, and what stands for "none" in a map. */
  public static final String ZERO_DISCO_KEY = "discokey:" + "0".repeat(64);

  /** The disco key this report sets: none for an absent, blank or all-zero one. */
  public String knownDiscoKey() {
    return known(discoKey);
  }

  /** {@code discoKey}, or null when it is absent, blank or all zero. */
  public static String known(String discoKey) {
    return discoKey == null || discoKey.isBlank() || ZERO_DISCO_KEY.equals(discoKey)
        ? null
        : discoKey;
  }

  @Override
  public NodeConnectivity applyTo(NodeConnectivity before) {
    if (before == null) {
      return new NodeConnectivity(
          nodeId, endpoints, knownDiscoKey(), homeDerp, hostinfo, false, at, instanceId, at);
    }
    if (before.updatedAt() != null && before.updatedAt().isAfter(at)) {
      return before;
    }
    String disco = knownDiscoKey();
    return new NodeConnectivity(
        nodeId,
        endpoints == null ? before.endpoints() : endpoints,
        disco == null ? before.discoKey() : disco,
        homeDerp == null ? before.homeDerp() : homeDerp,
        hostinfo == null ? before.hostinfo() : hostinfo,
        before.online(),
        NodeConnectivity.later(before.lastSeen(), at),
        instanceId,
        at);
  }
}
