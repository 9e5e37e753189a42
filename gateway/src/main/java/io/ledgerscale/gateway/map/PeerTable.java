// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A map from node id to a value, kept as two sorted arrays. Every open stream remembers the peers
 * it was last sent, thousands of entries each: a tree map spends about 40 bytes of entry per peer,
 * this about 12, and it is walked in id order without pointer chasing. Inserting or removing one
 * peer copies part of the arrays, which a one-peer change on a stream can afford. Not thread-safe
 * (a stream's view is only touched on the map's worker).
 */
final class PeerTable<V> extends AbstractMap<Long, V> {
  private long[] ids;
  private Object[] values;

  /** One yes/no per entry (a peer's presence), a byte instead of a second table: {@link #flags}. */
  private boolean[] flags;

  private int size;

  private final Flags flagsView = new Flags();

  PeerTable(int capacity) {
    ids = new long[Math.max(capacity, 4)];
    values = new Object[ids.length];
    flags = new boolean[ids.length];
  }

  @Override
  public int size() {
    return size;
  }

  /** The id at position {@code i} in id order. */
  long idAt(int i) {
    return ids[i];
  }

  @SuppressWarnings("unchecked")
  V valueAt(int i) {
    return (V) values[i];
  }

  private int find(long id) {
    return Arrays.binarySearch(ids, 0, size, id);
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof Long id && find(id) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    if (!(key instanceof Long id)) {
      return null;
    }
    int i = find(id);
    return i < 0 ? null : (V) values[i];
  }

  @Override
  public V put(Long key, V value) {
    long id = key;
    if (size > 0 && id > ids[size - 1]) {
      // appending in id order, as a complete view is built
      grow();
      ids[size] = id;
      flags[size] = false;
      values[size++] = value;
      return null;
    }
    int i = find(id);
    if (i >= 0) {
      V old = valueAt(i);
      values[i] = value;
      return old;
    }
    int at = -i - 1;
    grow();
    System.arraycopy(ids, at, ids, at + 1, size - at);
    System.arraycopy(values, at, values, at + 1, size - at);
    System.arraycopy(flags, at, flags, at + 1, size - at);
    ids[at] = id;
    values[at] = value;
    flags[at] = false;
    size++;
    return null;
  }

  @Override
  public V remove(Object key) {
    if (!(key instanceof Long id)) {
      return null;
    }
    int i = find(id);
    if (i < 0) {
      return null;
    }
    V old = valueAt(i);
    System.arraycopy(ids, i + 1, ids, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    System.arraycopy(flags, i + 1, flags, i, size - i - 1);
    values[--size] = null;
    return old;
  }

  private void grow() {
    if (size == ids.length) {
      // a table trimmed while empty has no room to double
      int n = Math.max(4, ids.length * 2);
      ids = Arrays.copyOf(ids, n);
      values = Arrays.copyOf(values, n);
      flags = Arrays.copyOf(flags, n);
    }
  }

  /** Gives back spare capacity once a complete view is built. */
  PeerTable<V> trimmed() {
    if (ids.length > size + 4) {
      ids = Arrays.copyOf(ids, size);
      values = Arrays.copyOf(values, size);
      flags = Arrays.copyOf(flags, size);
    }
    return this;
  }

  /**
   * The flag of each entry, as a map over the same ids: it holds exactly the table's ids (an entry
   * put in the table starts false), {@code put} sets the flag of an id the table holds, {@code
   * remove} has nothing to do once the table removed the id.
   */
  Map<Long, Boolean> flags() {
    return flagsView;
  }

  /** The flag at position {@code i} in id order. */
  boolean flagAt(int i) {
    return flags[i];
  }

  /** Whether {@code map} is this table's {@link #flags}, so positions in one are in the other. */
  boolean flaggedBy(Map<Long, Boolean> map) {
    return map == flagsView;
  }

  private final class Flags extends AbstractMap<Long, Boolean> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean containsKey(Object key) {
      return PeerTable.this.containsKey(key);
    }

    @Override
    public Boolean get(Object key) {
      if (!(key instanceof Long id)) {
        return null;
      }
      int i = find(id);
      return i < 0 ? null : flags[i];
    }

    @Override
    public Boolean put(Long key, Boolean value) {
      // a complete view flags each entry right after appending it
      int i = size > 0 && ids[size - 1] == key ? size - 1 : find(key);
      if (i < 0) {
        throw new IllegalStateException("no entry " + key + " to flag: put it in the table first");
      }
      boolean old = flags[i];
      flags[i] = value;
      return old;
    }

    @Override
    public Boolean remove(Object key) {
      if (PeerTable.this.containsKey(key)) {
        throw new IllegalStateException("remove " + key + " from the table itself");
      }
      return null;
    }

    @Override
    public Set<Entry<Long, Boolean>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return size;
        }

        @Override
        public Iterator<Entry<Long, Boolean>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < size;
            }

            @Override
            public Entry<Long, Boolean> next() {
              if (next >= size) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new SimpleImmutableEntry<>(ids[i], flags[i]);
            }
          };
        }
      };
    }
  }

  @Override
  public void forEach(BiConsumer<? super Long, ? super V> action) {
    for (int i = 0; i < size; i++) {
      action.accept(ids[i], valueAt(i));
    }
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
        return new Iterator<>() {
          private int next;
          private boolean removable;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<Long, V> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            removable = true;
            int i = next++;
            return new SimpleImmutableEntry<>(ids[i], valueAt(i));
          }

          @Override
          public void remove() {
            if (!removable) {
              throw new IllegalStateException();
            }
            removable = false;
            PeerTable.this.remove(ids[--next]);
          }
        };
      }
    };
  }
}
