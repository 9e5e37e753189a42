// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Keeps the most recently used aggregates strongly, up to a bound, each for at most a while after
 * it was loaded. Axon's {@code WeakReferenceCache} lets every garbage collection drop them, and the
 * aggregates cached here are the ones whose reload costs most: the Tailnet, which every
 * registration and rename loads and whose snapshot grows with the tailnet, was read back from its
 * snapshot and up to hundreds of events after each young collection. A cached aggregate another
 * instance changed fails its append on the stream's sequence number, and the rollback evicts it;
 * the age limit bounds how long a command that only reads it can see it stale (with the weak cache,
 * that lasted until the next collection, minutes on an idle server).
 */
final class BoundedAggregateCache implements Cache {
  private final int maxEntries;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();
  private final LinkedHashMap<Object, Entry> entries;

  /** A value and when it came into the cache (an update keeps that time). */
  private record Entry(Object value, long since) {}

  BoundedAggregateCache(int maxEntries, Duration maxAge) {
    this(maxEntries, maxAge, System::nanoTime);
  }

  BoundedAggregateCache(int maxEntries, Duration maxAge, LongSupplier nanoClock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("a cache holds at least one entry");
    }
    this.maxEntries = maxEntries;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoClock = nanoClock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <K, V> V get(K key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (nanoClock.getAsLong() - e.since() > maxAgeNanos) {
      entries.remove(key);
      listeners.forEach(l -> l.onEntryExpired(key));
      return null;
    }
    listeners.forEach(l -> l.onEntryRead(key, e.value()));
    return (V) e.value();
  }

  @Override
  public synchronized void put(Object key, Object value) {
    if (value == null) {
      remove(key);
      return;
    }
    Entry before = entries.get(key);
    if (before == null) {
      entries.put(key, new Entry(value, nanoClock.getAsLong()));
      listeners.forEach(l -> l.onEntryCreated(key, value));
      evictBeyondBound();
    } else {
      entries.put(key, new Entry(value, before.since()));
      listeners.forEach(l -> l.onEntryUpdated(key, value));
    }
  }

  @Override
  public synchronized boolean putIfAbsent(Object key, Object value) {
    if (get(key) != null) {
      return false;
    }
    put(key, value);
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
    T value = get(key);
    if (value == null) {
      value = valueSupplier.get();
      put(key, value);
    }
    return value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
    V value = get(key);
    if (value != null) {
      put(key, update.apply(value));
    }
  }

  @Override
  public synchronized boolean remove(Object key) {
    if (entries.remove(key) == null) {
      return false;
    }
    listeners.forEach(l -> l.onEntryRemoved(key));
    return true;
  }

  @Override
  public synchronized void removeAll() {
    List<Object> keys = List.copyOf(entries.keySet());
    entries.clear();
    keys.forEach(k -> listeners.forEach(l -> l.onEntryRemoved(k)));
  }

  @Override
  public synchronized boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public Registration registerCacheEntryListener(EntryListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  synchronized int size() {
    return entries.size();
  }

  private void evictBeyondBound() {
    while (entries.size() > maxEntries) {
      Map.Entry<Object, Entry> eldest = entries.entrySet().iterator().next();
      entries.remove(eldest.getKey());
      listeners.forEach(l -> l.onEntryExpired(eldest.getKey()));
    }
  }
}
