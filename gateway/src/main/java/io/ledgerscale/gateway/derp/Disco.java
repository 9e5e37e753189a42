// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

/**
 * Recognises Tailscale's disco messages by their magic ("TS💬"): they find and keep paths, so they
 * get their own queue and may earn a PeerGone answer, as in Tailscale's server.
 */
final class Disco {
  private static final byte[] MAGIC = {
    'T', 'S', (byte) 0xF0, (byte) 0x9F, (byte) 0x92, (byte) 0xAC
  };
  // magic, sender's disco key, nonce
  private static final int HEADER = MAGIC.length + 32 + 24;

  private Disco() {}

  static boolean looksLikeDisco(byte[] b, int off) {
    if (b.length - off < HEADER) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b[off + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
