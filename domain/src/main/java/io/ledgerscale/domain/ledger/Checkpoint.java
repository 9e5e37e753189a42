// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.util.Base64;

/**
 * A C2SP {@code tlog-checkpoint} body: origin, tree size (decimal) and base64 root hash, one per
 * line. No extension lines: the format recommends against them.
 */
public record Checkpoint(String origin, long size, byte[] root) {

  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** Reads a checkpoint from a signed note's text; throws saying what is wrong. */
  public static Checkpoint parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
      throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash line");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a checkpoint's size is not a number: " + lines[1]);
    }
    if (size < 0 || !lines[1].equals(Long.toString(size))) {
      throw new IllegalArgumentException("a checkpoint's size is not canonical: " + lines[1]);
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a checkpoint's root hash is not base64");
    }
    if (root.length != LedgerHash.SIZE) {
      throw new IllegalArgumentException("a checkpoint's root hash is not 32 bytes");
    }
    return new Checkpoint(lines[0], size, root);
  }
}
