// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open map stream of each node (by node key). A new stream replaces the old one instead of being refused:
 * clients reconnect before the server notices the old stream died (Headscale issue #1942).
 */
public final class MapStreams {
  private final Map<String, MapStream> byNodeKey = new ConcurrentHashMap<>();

  void register(String nodeKey, MapStream stream) {
    MapStream previous = byNodeKey.put(nodeKey, stream);
    if (previous != null && previous != stream) {
      previous.close();
    }
  }

  void unregister(String nodeKey, MapStream stream) {
    byNodeKey.remove(nodeKey, stream);
  }

  public Optional<MapStream> of(String nodeKey) {
    return Optional.ofNullable(byNodeKey.get(nodeKey));
  }

  public int size() {
    return byNodeKey.size();
  }
}
