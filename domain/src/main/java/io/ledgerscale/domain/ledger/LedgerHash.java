// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with RFC 6962's domain separation (0x00 leaves, 0x01 interior nodes), plus the linear
 * chain with its own prefix (0x02) so no chain value can pass for a tree node or a leaf.
 */
public final class LedgerHash {
  public static final int SIZE = 32;

  /** The chain value before the first entry. */
  public static final byte[] CHAIN_START = new byte[SIZE];

  private LedgerHash() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static byte[] leaf(byte[] leafData) {
    MessageDigest d = sha256();
    d.update((byte) 0x00);
    return d.digest(leafData);
  }

  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    return d.digest(right);
  }

  /** {@code entryHash_i = H(0x02 ‖ entryHash_{i-1} ‖ leafHash_i)}. */
  public static byte[] chain(byte[] previous, byte[] leafHash) {
    MessageDigest d = sha256();
    d.update((byte) 0x02);
    d.update(previous);
    return d.digest(leafHash);
  }

  /** The hash of the empty tree (RFC 6962: the hash of the empty string). */
  public static byte[] empty() {
    return sha256().digest();
  }
}
