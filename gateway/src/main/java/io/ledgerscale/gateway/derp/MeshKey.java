// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The secret the instances of one deployment share to mesh their relays (Tailscale's {@code
 * key.DERPMesh}): 32 bytes, written as 64 hex digits, carried in a mesh peer's ClientInfo box. It
 * is compared in constant time and never printed.
 */
public final class MeshKey {
  private final byte[] key;

  private MeshKey(byte[] key) {
    this.key = key;
  }

  /**
   * Parses 64 hex digits (surrounding white space ignored, as Tailscale's ParseDERPMesh).
   *
   * @throws IllegalArgumentException without echoing the text, which may be the secret
   */
  public static MeshKey parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.length() != 64 || !t.chars().allMatch(MeshKey::isHex)) {
      throw new IllegalArgumentException("a mesh key is 64 hexadecimal digits");
    }
    byte[] k = HexFormat.of().parseHex(t);
    if (MessageDigest.isEqual(k, new byte[32])) {
      // Tailscale's server treats the zero key as "no key": it would mesh with nobody
      throw new IllegalArgumentException("a mesh key must not be all zeros");
    }
    return new MeshKey(k);
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Whether {@code offered} (as a ClientInfo spells it) is this key; constant time in its bytes.
   */
  boolean matches(String offered) {
    if (offered == null || offered.length() != 64 || !offered.chars().allMatch(MeshKey::isHex)) {
      return false;
    }
    return MessageDigest.isEqual(key, HexFormat.of().parseHex(offered));
  }

  /** The hex form, for the ClientInfo box this instance sends its peers; nothing else. */
  String hex() {
    return HexFormat.of().formatHex(key);
  }

  @Override
  public String toString() {
    return "MeshKey[redacted]";
  }
}
