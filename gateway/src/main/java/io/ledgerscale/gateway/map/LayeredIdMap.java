// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map by node id that a one-entry change copies only in part: a large base, never
 * changed, and the recent changes over it, copied per change; the two are merged into a new base
 * once the changes outgrow the square root of the base. The map's snapshot changes one node's
 * connectivity at a time: copying the whole map for each was O(N) per change, O(N²) for a fleet
 * coming online (an eighth of the map thread's samples in a 5,000-node connect). Views read the
 * snapshot on other threads meanwhile, so it cannot be changed in place. No null values.
 */
final class LayeredIdMap<V> extends AbstractMap<Long, V> {
  private static final Object REMOVED = new Object();

  private final Map<Long, V> base;
  private final Map<Long, Object> changes;
  private final int size;

  private LayeredIdMap(Map<Long, V> base, Map<Long, Object> changes, int size) {
    this.base = base;
    this.changes = changes;
    this.size = size;
  }

  /** {@code m} with {@code id} mapped to {@code value}, or without {@code id} when it is null. */
  static <V> Map<Long, V> with(Map<Long, V> m, Long id, V value) {
    LayeredIdMap<V> l =
        m instanceof LayeredIdMap<V> layered
            ? layered
            : new LayeredIdMap<>(Collections.unmodifiableMap(new HashMap<>(m)), Map.of(), m.size());
    return l.with(id, value);
  }

  private LayeredIdMap<V> with(Long id, V value) {
    int after = size - (containsKey(id) ? 1 : 0) + (value == null ? 0 : 1);
    if ((long) changes.size() * changes.size() >= Math.max(base.size(), 1024)) {
      Map<Long, V> all = new HashMap<>(this);
      if (value == null) {
        all.remove(id);
      } else {
        all.put(id, value);
      }
      return new LayeredIdMap<>(Collections.unmodifiableMap(all), Map.of(), after);
    }
    Map<Long, Object> c = new HashMap<>(changes);
    c.put(id, value == null ? REMOVED : value);
    return new LayeredIdMap<>(base, c, after);
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    Object changed = changes.get(key);
    if (changed != null) {
      return changed == REMOVED ? null : (V) changed;
    }
    return base.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Entry<Long, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<Long, V>> iterator() {
        return new Entries();
      }
    };
  }

  /** The base's entries not changed since, then the changes that are not removals. */
  private final class Entries implements Iterator<Entry<Long, V>> {
    private final Iterator<Entry<Long, V>> fromBase = base.entrySet().iterator();
    private final Iterator<Entry<Long, Object>> fromChanges = changes.entrySet().iterator();
    private Entry<Long, V> next = advance();

    @SuppressWarnings("unchecked")
    private Entry<Long, V> advance() {
      while (fromBase.hasNext()) {
        Entry<Long, V> e = fromBase.next();
        if (!changes.containsKey(e.getKey())) {
          return e;
        }
      }
      while (fromChanges.hasNext()) {
        Entry<Long, Object> e = fromChanges.next();
        if (e.getValue() != REMOVED) {
          return new SimpleImmutableEntry<>(e.getKey(), (V) e.getValue());
        }
      }
      return null;
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Entry<Long, V> next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Entry<Long, V> e = next;
      next = advance();
      return e;
    }
  }
}
