// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.gateway.key.KeyText;
import java.util.Arrays;

/** A client's 32-byte node public key, its identity on the relay. */
final class RelayKey {
  private final byte[] bytes;
  private final int hash;

  private RelayKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The key in {@code b[off, off+32)}, copied. */
  static RelayKey of(byte[] b, int off) {
    return new RelayKey(Arrays.copyOfRange(b, off, off + FrameType.KEY));
  }

  /** Writes the key into {@code b} at {@code off}. */
  void copyTo(byte[] b, int off) {
    System.arraycopy(bytes, 0, b, off, FrameType.KEY);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** {@code nodekey:<hex>}, as the control protocol and the read models spell node keys. */
  String nodeKeyText() {
    return KeyText.format(KeyText.NODE_PUBLIC, bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    String t = nodeKeyText();
    return t.substring(0, Math.min(t.length(), 16)) + "…";
  }
}
