// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.util.ArrayList;
import java.util.List;

/**
 * The connections of one key. Tailscale's server keeps duplicates open rather than closing the
 * older one (a client may be mid-reconnect, or two machines may share a key); packets for the key
 * go to the active one: the newest, until another of the set sends a packet ("last writer is
 * active"). Changed under {@link DerpRelay}'s lock; {@link #active} is read without it on every
 * packet.
 */
final class ClientSet {
  private final List<DerpConnection> connections = new ArrayList<>(1);
  volatile DerpConnection active;

  void add(DerpConnection c) {
    connections.add(c);
    if (connections.size() > 1) {
      connections.forEach(d -> d.duplicate = true);
    }
    active = c;
  }

  /** True when the set is now empty. */
  boolean remove(DerpConnection c) {
    connections.remove(c);
    if (connections.size() == 1) {
      connections.get(0).duplicate = false;
    }
    if (active == c) {
      active = connections.isEmpty() ? null : connections.get(connections.size() - 1);
    }
    return connections.isEmpty();
  }

  List<DerpConnection> snapshot() {
    return List.copyOf(connections);
  }
}
