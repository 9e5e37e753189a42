// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Key text of the form {@code lskey-<kind>-<prefix>-<secret>}. The prefix names the key (it is
 * stored and shown); the secret is 32 random bytes in base64url, stored only as its SHA-256 (a slow
 * hash adds nothing to a high-entropy secret) and compared in constant time.
 */
public final class Secrets {
  public static final String PRE_AUTH_KEY = "lskey-auth-";
  public static final String API_KEY = "lskey-api-";
  public static final String AUTH_ID = "lskey-authreq-";
  public static final int PREFIX_LENGTH = 12;

  private static final SecureRandom RANDOM = new SecureRandom();
  // lower case and digits only, so a prefix is easy to read out and type on a CLI
  private static final char[] PREFIX_ALPHABET =
      "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Secrets() {}

  /** A freshly generated key: the full text to show once, its prefix, and the hash to store. */
  public record NewKey(String text, String prefix, String secretHash) {}

  /** A presented key split into its parts; nothing is known about it yet. */
  public record PresentedKey(String prefix, String secret) {}

  public static NewKey newKey(String kind) {
    String prefix = randomPrefix();
    String secret = randomUrlSafe(32);
    return new NewKey(kind + prefix + "-" + secret, prefix, sha256(secret));
  }

  /** {@code lskey-authreq-} and 24 url-safe characters (18 random bytes). */
  public static String newAuthId() {
    return AUTH_ID + randomUrlSafe(18);
  }

  /** {@code lskey-sshcheck-} and 24 url-safe characters (18 random bytes). */
  public static String newSshCheckId() {
    return io.ledgerscale.domain.api.sshcheck.SshCheckIds.PREFIX + randomUrlSafe(18);
  }

  /** Splits presented key text; empty when it does not have the expected shape. */
  public static Optional<PresentedKey> parse(String kind, String text) {
    if (text == null || !text.startsWith(kind)) {
      return Optional.empty();
    }
    String rest = text.substring(kind.length());
    if (rest.length() < PREFIX_LENGTH + 2 || rest.charAt(PREFIX_LENGTH) != '-') {
      return Optional.empty();
    }
    String prefix = rest.substring(0, PREFIX_LENGTH);
    for (char c : prefix.toCharArray()) {
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
        return Optional.empty();
      }
    }
    return Optional.of(new PresentedKey(prefix, rest.substring(PREFIX_LENGTH + 1)));
  }

  public static boolean matches(String secret, String secretHash) {
    byte[] presented = sha256(secret).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, secretHash.getBytes(StandardCharsets.US_ASCII));
  }

  /** Lower-case hex SHA-256 of the UTF-8 text. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  private static String randomPrefix() {
    char[] chars = new char[PREFIX_LENGTH];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = PREFIX_ALPHABET[RANDOM.nextInt(PREFIX_ALPHABET.length)];
    }
    return new String(chars);
  }

  private static String randomUrlSafe(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return URL.encodeToString(b);
  }
}
