// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The open map stream of each node (by node key). A new stream replaces the old one instead of
 * being refused: clients reconnect before the server notices the old stream died (Headscale issue
 * #1942).
 */
public final class MapStreams {
  private final Map<String, MapSink> byNodeKey = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Told when a node gains its (first or replacing) stream and when its current stream ends. */
  public interface Listener {
    void opened(String nodeKey);

    void closed(String nodeKey);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  void register(String nodeKey, MapSink stream) {
    MapSink previous = byNodeKey.put(nodeKey, stream);
    if (previous != null && previous != stream) {
      previous.close();
    }
    listeners.forEach(l -> l.opened(nodeKey));
  }

  void unregister(String nodeKey, MapSink stream) {
    if (byNodeKey.remove(nodeKey, stream)) {
      listeners.forEach(l -> l.closed(nodeKey));
    }
  }

  public Optional<MapSink> of(String nodeKey) {
    return Optional.ofNullable(byNodeKey.get(nodeKey));
  }

  public Set<String> nodeKeys() {
    return Set.copyOf(byNodeKey.keySet());
  }

  public int size() {
    return byNodeKey.size();
  }
}
