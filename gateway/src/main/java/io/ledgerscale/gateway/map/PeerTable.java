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
 * this about 9 (ids are kept as ints while every id fits in one, as node ids do: at 1,000 streams
 * of 1,000 peers that is 4 MB less, at 5,000 streams 100 MB), and it is walked in id order without
 * pointer chasing. Inserting or removing one peer copies part of the arrays, which a one-peer
 * change on a stream can afford. Not thread-safe (a stream's view is only touched on the map's
 * worker).
 */
final class PeerTable<V> extends AbstractMap<Long, V> {
  /** The ids while each fits in an int; null once one does not ({@link #wide} then). */
  private int[] ids;

  private long[] wide;

  private Object[] values;

  /** One yes/no per entry (a peer's presence), a byte instead of a second table: {@link #flags}. */
  private boolean[] flags;

  private int size;

  private final Flags flagsView = new Flags();

  PeerTable(int capacity) {
    ids = new int[Math.max(capacity, 4)];
    values = new Object[ids.length];
    flags = new boolean[ids.length];
  }

  @Override
  public int size() {
    return size;
  }

  /** The id at position {@code i} in id order. */
  long idAt(int i) {
    return ids != null ? ids[i] : wide[i];
  }

  private int capacity() {
    return values.length;
  }

  private void setId(int i, long id) {
    if (ids != null && id != (int) id) {
      wide = new long[ids.length];
      // the whole array: an insert may have shifted an entry to position size already
      for (int k = 0; k < ids.length; k++) {
        wide[k] = ids[k];
      }
      ids = null;
    }
    if (ids != null) {
      ids[i] = (int) id;
    } else {
      wide[i] = id;
    }
  }

  /** Moves the entries from {@code from} on by {@code by} places (an insert or a removal). */
  private void shift(int from, int by) {
    int n = size - from;
    if (ids != null) {
      System.arraycopy(ids, from, ids, from + by, n);
    } else {
      System.arraycopy(wide, from, wide, from + by, n);
    }
    System.arraycopy(values, from, values, from + by, n);
    System.arraycopy(flags, from, flags, from + by, n);
  }

  private void resize(int n) {
    if (ids != null) {
      ids = Arrays.copyOf(ids, n);
    } else {
      wide = Arrays.copyOf(wide, n);
    }
    values = Arrays.copyOf(values, n);
    flags = Arrays.copyOf(flags, n);
  }

  @SuppressWarnings("unchecked")
  V valueAt(int i) {
    return (V) values[i];
  }

  private int find(long id) {
    if (ids == null) {
      return Arrays.binarySearch(wide, 0, size, id);
    }
    if (id != (int) id) {
      // beyond every id held: where it would go, by sign
      return id < 0 ? -1 : -size - 1;
    }
    return Arrays.binarySearch(ids, 0, size, (int) id);
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
    if (size > 0 && id > idAt(size - 1)) {
      // appending in id order, as a complete view is built
      grow();
      setId(size, id);
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
    shift(at, 1);
    setId(at, id);
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
    shift(i + 1, -1);
    values[--size] = null;
    return old;
  }

  private void grow() {
    if (size == capacity()) {
      // a table trimmed while empty has no room to double
      resize(Math.max(4, capacity() * 2));
    }
  }

  /**
   * A table of its own with every entry of this one but {@code id}'s, flags included, sized to fit:
   * without a policy every viewer's complete view is everyone else, so a batch of them is copied
   * from one table of everyone rather than looked up peer by peer.
   */
  PeerTable<V> copyWithout(long id) {
    int at = find(id);
    int n = at >= 0 ? size - 1 : size;
    PeerTable<V> copy = new PeerTable<>(n);
    if (ids == null) {
      copy.ids = null;
      copy.wide = new long[copy.values.length];
    }
    int head = at >= 0 ? at : size;
    copyRange(0, copy, 0, head);
    if (at >= 0) {
      copyRange(at + 1, copy, at, size - at - 1);
    }
    copy.size = n;
    return copy;
  }

  private void copyRange(int from, PeerTable<V> to, int into, int n) {
    if (ids != null) {
      System.arraycopy(ids, from, to.ids, into, n);
    } else {
      System.arraycopy(wide, from, to.wide, into, n);
    }
    System.arraycopy(values, from, to.values, into, n);
    System.arraycopy(flags, from, to.flags, into, n);
  }

  /** Gives back spare capacity once a complete view is built. */
  PeerTable<V> trimmed() {
    if (capacity() > size + 4) {
      resize(size);
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
      int i = size > 0 && idAt(size - 1) == key ? size - 1 : find(key);
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
              return new SimpleImmutableEntry<>(idAt(i), flags[i]);
            }
          };
        }
      };
    }
  }

  /** An entry with its yes/no ({@link #flags}), without boxing the id. */
  interface FlaggedEntry<V> {
    void accept(long id, V value, boolean flag);
  }

  /** Every entry in id order, with its flag. */
  void forEachFlagged(FlaggedEntry<? super V> action) {
    for (int i = 0; i < size; i++) {
      action.accept(idAt(i), valueAt(i), flags[i]);
    }
  }

  @Override
  public void forEach(BiConsumer<? super Long, ? super V> action) {
    for (int i = 0; i < size; i++) {
      action.accept(idAt(i), valueAt(i));
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
            return new SimpleImmutableEntry<>(idAt(i), valueAt(i));
          }

          @Override
          public void remove() {
            if (!removable) {
              throw new IllegalStateException();
            }
            removable = false;
            PeerTable.this.remove(idAt(--next));
          }
        };
      }
    };
  }
}
