// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6962 Merkle tree over a list of leaf hashes, with every complete aligned subtree's hash
 * kept per level, so a root or a proof costs O(log² n) hashes once the tree is built (O(n)).
 */
public final class MerkleTree {
  private final List<byte[][]> levels = new ArrayList<>();

  public MerkleTree(List<byte[]> leafHashes) {
    byte[][] level = leafHashes.toArray(new byte[0][]);
    levels.add(level);
    while (level.length > 1) {
      byte[][] up = new byte[level.length / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = LedgerHash.node(level[2 * i], level[2 * i + 1]);
      }
      levels.add(up);
      level = up;
    }
  }

  public long size() {
    return levels.get(0).length;
  }

  /** The root of the tree made of the first {@code size} leaves. */
  public byte[] root(long size) {
    check(size <= size(), "size " + size + " is beyond the tree's " + size());
    return size == 0 ? LedgerHash.empty() : hash(0, size);
  }

  /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
  public List<byte[]> inclusionProof(long index, long size) {
    check(size <= size() && index >= 0 && index < size, "no leaf " + index + " in size " + size);
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, size, proof);
    return proof;
  }

  /**
   * The proof that the tree of size {@code first} is a prefix of the tree of size {@code second}.
   */
  public List<byte[]> consistencyProof(long first, long second) {
    check(
        first >= 0 && first <= second && second <= size(),
        "no consistency proof from " + first + " to " + second);
    List<byte[]> proof = new ArrayList<>();
    if (first > 0 && first < second) {
      subproof(first, 0, second, true, proof);
    }
    return proof;
  }

  private void path(long m, long start, long n, List<byte[]> out) {
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, start, k, out);
      out.add(hash(start + k, n - k));
    } else {
      path(m - k, start + k, n - k, out);
      out.add(hash(start, k));
    }
  }

  private void subproof(long m, long start, long n, boolean whole, List<byte[]> out) {
    if (m == n) {
      if (!whole) {
        out.add(hash(start, n));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, start, k, whole, out);
      out.add(hash(start + k, n - k));
    } else {
      subproof(m - k, start + k, n - k, false, out);
      out.add(hash(start, k));
    }
  }

  /** MTH(D[start : start+n]); the left part of every split is complete and aligned. */
  private byte[] hash(long start, long n) {
    if (Long.bitCount(n) == 1 && start % n == 0) {
      return levels.get(Long.numberOfTrailingZeros(n))[(int) (start / n)];
    }
    long k = Long.highestOneBit(n - 1);
    return LedgerHash.node(hash(start, k), hash(start + k, n - k));
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
