// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks inclusion and consistency proofs as RFC 9162 §2.1.3.2 and §2.1.4.2 describe. Every index
 * and length is checked: a verifier that accepts a short or padded proof is worthless (the immudb
 * advisory GHSA-672p-m5jq-mrh8 was exactly that).
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  public static boolean inclusion(
      byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size || leafHash == null || root == null || path == null) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0 || p == null || p.length != LedgerHash.SIZE) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = LedgerHash.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = LedgerHash.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  public static boolean consistency(
      long first, byte[] firstRoot, long second, byte[] secondRoot, List<byte[]> proof) {
    if (first < 0 || second < first || firstRoot == null || secondRoot == null || proof == null) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (first == 0) {
      // every tree extends the empty one; only its agreed root is checked
      return proof.isEmpty() && MessageDigest.isEqual(firstRoot, LedgerHash.empty());
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0 || c == null || c.length != LedgerHash.SIZE) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = LedgerHash.node(c, fr);
        sr = LedgerHash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = LedgerHash.node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
  }
}
