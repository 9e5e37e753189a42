// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.policy.compile;

import java.util.AbstractSet;
import java.util.BitSet;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An unmodifiable set of node ids held as bits, iterated in ascending order. A node's peer set has
 * thousands of ids in a large tailnet and is computed for every view built: or-ing the rules'
 * bitsets and handing them out as they are costs a fraction of a sorted set of boxed ids.
 */
final class NodeIdSet extends AbstractSet<Long> {
  /** Ids up to this bound are held as bits; a tailnet with larger ids takes the sorted-set path. */
  static final long MAX_ID = 1L << 26;

  private final BitSet bits;
  private final int size;

  NodeIdSet(BitSet bits) {
    this.bits = bits;
    this.size = bits.cardinality();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof Long id && id >= 0 && id <= MAX_ID && bits.get((int) (long) id);
  }

  @Override
  public Iterator<Long> iterator() {
    return new Iterator<>() {
      private int next = bits.nextSetBit(0);

      @Override
      public boolean hasNext() {
        return next >= 0;
      }

      @Override
      public Long next() {
        if (next < 0) {
          throw new NoSuchElementException();
        }
        long id = next;
        next = next == Integer.MAX_VALUE ? -1 : bits.nextSetBit(next + 1);
        return id;
      }
    };
  }
}
