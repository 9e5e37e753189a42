// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The right edge of the tree: the roots of the complete subtrees that make up its size (one per set
 * bit, largest first). Enough to append a leaf and to compute the root without reading any earlier
 * leaf, so the follower and the checkpoint signer stay O(log n) however long the log grows.
 */
public final class CompactRange {
  private long size;
  private final List<byte[]> frontier;

  private CompactRange(long size, List<byte[]> frontier) {
    this.size = size;
    this.frontier = frontier;
  }

  public static CompactRange empty() {
    return new CompactRange(0, new ArrayList<>());
  }

  /** Reads what {@link #encoded()} wrote for a tree of {@code size} leaves. */
  public static CompactRange decode(long size, byte[] encoded) {
    int count = Long.bitCount(size);
    if (size < 0 || encoded == null || encoded.length != count * LedgerHash.SIZE) {
      throw new IllegalArgumentException("a compact range of size " + size + " is malformed");
    }
    List<byte[]> frontier = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      frontier.add(Arrays.copyOfRange(encoded, i * LedgerHash.SIZE, (i + 1) * LedgerHash.SIZE));
    }
    return new CompactRange(size, frontier);
  }

  public void append(byte[] leafHash) {
    frontier.add(leafHash);
    // each trailing one bit of the old size is a complete subtree the new leaf now pairs with
    for (long s = size; (s & 1) == 1; s >>= 1) {
      byte[] right = frontier.remove(frontier.size() - 1);
      byte[] left = frontier.remove(frontier.size() - 1);
      frontier.add(LedgerHash.node(left, right));
    }
    size++;
  }

  public long size() {
    return size;
  }

  public byte[] root() {
    if (frontier.isEmpty()) {
      return LedgerHash.empty();
    }
    byte[] r = frontier.get(frontier.size() - 1);
    for (int i = frontier.size() - 2; i >= 0; i--) {
      r = LedgerHash.node(frontier.get(i), r);
    }
    return r;
  }

  public byte[] encoded() {
    byte[] out = new byte[frontier.size() * LedgerHash.SIZE];
    for (int i = 0; i < frontier.size(); i++) {
      System.arraycopy(frontier.get(i), 0, out, i * LedgerHash.SIZE, LedgerHash.SIZE);
    }
    return out;
  }
}
