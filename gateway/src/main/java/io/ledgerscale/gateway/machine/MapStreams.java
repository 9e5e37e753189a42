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
  private final MapTraffic traffic = new MapTraffic();

  /**
   * Told when a node gains its (first or replacing) stream and when any of its streams ends. A
   * stream is named by its sink, not by its node key: a client that reconnects has two streams for
   * a moment, and the late end of the old one must not be taken for the end of the new one.
   */
  public interface Listener {
    void opened(String nodeKey, MapSink stream);

    /**
     * {@code stream} ended; {@code wasCurrent} is false for a stream that a newer one had already
     * replaced, or that never opened.
     */
    void closed(String nodeKey, MapSink stream, boolean wasCurrent);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void register(String nodeKey, MapSink stream) {
    MapSink previous = byNodeKey.put(nodeKey, stream);
    if (previous != null && previous != stream) {
      previous.close();
    }
    listeners.forEach(l -> l.opened(nodeKey, stream));
  }

  /** {@code stream} ended, whether or not it was still the node's current one. */
  public void unregister(String nodeKey, MapSink stream) {
    boolean wasCurrent = byNodeKey.remove(nodeKey, stream);
    listeners.forEach(l -> l.closed(nodeKey, stream, wasCurrent));
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

  /** What the streams (and one-shot maps) have sent, for the metrics. */
  public MapTraffic traffic() {
    return traffic;
  }
}
