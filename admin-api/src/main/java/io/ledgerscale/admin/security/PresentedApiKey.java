// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An API key as a client sent it, {@code lskey-api-<prefix>-<secret>}. The prefix names the key;
 * only the SHA-256 of the secret is stored, and the comparison takes the same time whatever the
 * bytes.
 */
final class PresentedApiKey {
  static final String KEY_START = "lskey-api-";
  static final int PREFIX_LENGTH = 12;
  private static final int MAX_LENGTH = 256;

  private final String prefix;
  private final String secret;

  private PresentedApiKey(String prefix, String secret) {
    this.prefix = prefix;
    this.secret = secret;
  }

  static Optional<PresentedApiKey> parse(String key) {
    if (key == null || key.length() > MAX_LENGTH || !key.startsWith(KEY_START)) {
      return Optional.empty();
    }
    String rest = key.substring(KEY_START.length());
    // the prefix is fixed-length and the secret is base64url, so '-' may appear inside either
    if (rest.length() < PREFIX_LENGTH + 2 || rest.charAt(PREFIX_LENGTH) != '-') {
      return Optional.empty();
    }
    return Optional.of(
        new PresentedApiKey(rest.substring(0, PREFIX_LENGTH), rest.substring(PREFIX_LENGTH + 1)));
  }

  String prefix() {
    return prefix;
  }

  /**
   * The stored hash is the lower-case hex SHA-256 of the secret's UTF-8 bytes, as the domain writes
   * it.
   */
  boolean matches(String storedHash) {
    if (storedHash == null) {
      return false;
    }
    byte[] presented = HexFormat.of().formatHex(sha256(secret)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return KEY_START + prefix + "-***";
  }
}
