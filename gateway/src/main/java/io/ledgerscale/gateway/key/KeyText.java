// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.key;

import java.util.HexFormat;
import java.util.Optional;

/**
 * Tailscale's text form of 32-byte keys: a type prefix and 64 hex digits (lower case written, any
 * case read).
 */
public final class KeyText {
  public static final String MACHINE_PUBLIC = "mkey:";
  public static final String NODE_PUBLIC = "nodekey:";
  public static final String DISCO_PUBLIC = "discokey:";
  public static final String PRIVATE = "privkey:";
  public static final String CHALLENGE_PUBLIC = "chalpub:";

  private KeyText() {}

  public static String format(String prefix, byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("keys are 32 bytes, got " + key.length);
    }
    return prefix + HexFormat.of().formatHex(key);
  }

  /**
   * The raw key, or empty if {@code text} is not {@code prefix} followed by exactly 64 hex digits.
   */
  public static Optional<byte[]> parse(String prefix, String text) {
    if (text == null || !text.startsWith(prefix) || text.length() != prefix.length() + 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(HexFormat.of().parseHex(text, prefix.length(), text.length()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static boolean isZero(byte[] key) {
    int acc = 0;
    for (byte b : key) {
      acc |= b;
    }
    return acc == 0;
  }
}
