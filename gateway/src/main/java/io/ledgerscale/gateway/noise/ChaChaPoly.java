// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ChaCha20-Poly1305 (RFC 8439) under one key. Every map byte a client receives passes through it:
 * in a fleet's reconnect on JDK 17 the JDK's own implementation (no intrinsics before JDK 20, about
 * 230 MB/s on one core here) took about 40 % of the server's CPU. BoringSSL through Conscrypt does
 * about 1,500 MB/s on the same core, so it is used wherever its native library loads (Linux, macOS
 * and Windows on x86-64); elsewhere the JDK's, which has intrinsics from JDK 21. One instance
 * serves one direction of a session (one thread at a time); a Noise counter never repeats a nonce.
 */
final class ChaChaPoly {
  static final int TAG_SIZE = 16;
  static final int NONCE_SIZE = 12;
  private static final String JDK_ALGORITHM = "ChaCha20-Poly1305";
  private static final String NATIVE_ALGORITHM = "ChaCha20/Poly1305/NoPadding";

  private static final Logger log = LoggerFactory.getLogger(ChaChaPoly.class);

  /** The JDK's provider, or null: Cipher.getInstance picks it when asked for no provider. */
  static final Provider JDK = null;

  /** Conscrypt's provider, or null when its native library does not load on this platform. */
  static final Provider NATIVE = nativeProvider();

  private static final Provider CHOSEN = NATIVE != null ? NATIVE : JDK;

  static {
    // DEBUG: tools built on these classes print to their standard output
    log.debug(
        "Noise records are sealed with ChaCha20-Poly1305 from {}",
        CHOSEN == null ? "the JDK" : CHOSEN.getName());
  }

  private final SecretKeySpec key;
  private final Cipher cipher;

  private static Provider nativeProvider() {
    Provider p = BoringSsl.PROVIDER;
    if (p == null) {
      return null;
    }
    try {
      Cipher.getInstance(NATIVE_ALGORITHM, p);
      return p;
    } catch (GeneralSecurityException e) {
      log.debug("Conscrypt has no {} ({}); the JDK's is used", NATIVE_ALGORITHM, e.toString());
      return null;
    }
  }

  ChaChaPoly(byte[] key) {
    this(key, CHOSEN);
  }

  /** With the given provider: {@link #NATIVE}, or {@link #JDK} for the JDK's. */
  ChaChaPoly(byte[] key, Provider provider) {
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher =
          provider == null
              ? Cipher.getInstance(JDK_ALGORITHM)
              : Cipher.getInstance(NATIVE_ALGORITHM, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no ChaCha20-Poly1305 from " + provider, e);
    }
  }

  /** A one-shot seal, as the handshake needs (each key is used once there). */
  static byte[] seal(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext, int off, int len) {
    byte[] out = new byte[len + TAG_SIZE];
    new ChaChaPoly(key).seal(nonce, ad, plaintext, off, len, out, 0);
    return out;
  }

  /** A one-shot open, as the handshake needs. */
  static byte[] open(byte[] key, byte[] nonce, byte[] ad, byte[] ciphertext, int off, int len)
      throws NoiseException {
    return new ChaChaPoly(key).open(nonce, ad, ciphertext, off, len);
  }

  /**
   * Writes the ciphertext and its tag ({@code len + TAG_SIZE} bytes) into {@code out} at {@code
   * at}.
   */
  void seal(byte[] nonce, byte[] ad, byte[] plaintext, int off, int len, byte[] out, int at) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      if (ad != null) {
        cipher.updateAAD(ad);
      }
      cipher.doFinal(plaintext, off, len, out, at);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    }
  }

  byte[] open(byte[] nonce, byte[] ad, byte[] ciphertext, int off, int len) throws NoiseException {
    if (len < TAG_SIZE) {
      throw new NoiseException("ciphertext shorter than its tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
      if (ad != null) {
        cipher.updateAAD(ad);
      }
      return cipher.doFinal(ciphertext, off, len);
    } catch (AEADBadTagException e) {
      throw new NoiseException("message authentication failed");
    } catch (GeneralSecurityException e) {
      // the JDK also refuses a key and nonce it saw last (a counter never repeats one): whatever
      // the reason, nothing was decrypted, and the caller ends the direction
      throw new NoiseException("decryption refused: " + e.getMessage());
    }
  }
}
