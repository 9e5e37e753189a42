// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.connectivity;

import java.time.Instant;
import java.util.List;

/**
 * What a node last reported about how to reach it (ADR 0001): kept beside the event store, not in
 * it.
 *
 * @param discoKey the node's disco key in {@code discokey:} form, or null while none non-zero is
 *     known
 * @param hostinfo the client's Hostinfo as opaque JSON text, or null
 * @param instanceId the server instance that holds (or last held) the node's map session
 */
public record NodeConnectivity(
    long nodeId,
    List<String> endpoints,
    String discoKey,
    Integer homeDerp,
    String hostinfo,
    boolean online,
    Instant lastSeen,
    String instanceId,
    Instant updatedAt) {

  public NodeConnectivity {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  /** The later of two times, either of which may be null. */
  static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
