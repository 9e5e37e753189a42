// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A trusted Ed25519 note key, written {@code <name>+<hash>+<base64(0x01‖public key)>} (the Go
 * {@code sumdb/note} verifier key, which C2SP signed-note uses). The 4-byte key hash is {@code
 * SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[:4]}.
 */
public final class NoteVerifier {
  static final byte ALG_ED25519 = 0x01;

  private final String name;
  private final byte[] publicKey;
  private final byte[] keyHash;

  public NoteVerifier(String name, byte[] publicKey) {
    checkName(name);
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    this.name = name;
    this.publicKey = publicKey.clone();
    MessageDigest d = LedgerHash.sha256();
    d.update(name.getBytes(StandardCharsets.UTF_8));
    d.update((byte) '\n');
    d.update(ALG_ED25519);
    this.keyHash = Arrays.copyOf(d.digest(publicKey), 4);
  }

  /** Parses a verifier key; throws with the reason when it is not one. */
  public static NoteVerifier parse(String text) {
    String[] parts = text == null ? new String[0] : text.strip().split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "a verifier key reads <name>+<8 hex digits>+<base64 key>, e.g. from `ledgerscale audit"
              + " key`");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the verifier key's last part is not base64");
    }
    if (raw.length != 33 || raw[0] != ALG_ED25519) {
      throw new IllegalArgumentException("the verifier key is not an Ed25519 note key");
    }
    NoteVerifier key = new NoteVerifier(parts[0], Arrays.copyOfRange(raw, 1, 33));
    if (!key.keyHashHex().equals(parts[1])) {
      throw new IllegalArgumentException(
          "the verifier key's hash " + parts[1] + " does not match its name and key");
    }
    return key;
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException("a note key name is 1 to 255 characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '+' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "a note key name has no '+', spaces or control characters: \"" + name + "\"");
      }
    }
  }

  public String name() {
    return name;
  }

  public byte[] keyHash() {
    return keyHash.clone();
  }

  public String keyHashHex() {
    return HexFormat.of().formatHex(keyHash);
  }

  public String keyText() {
    byte[] raw = new byte[33];
    raw[0] = ALG_ED25519;
    System.arraycopy(publicKey, 0, raw, 1, 32);
    return name + "+" + keyHashHex() + "+" + Base64.getEncoder().encodeToString(raw);
  }

  /** Whether {@code signature} (the decoded signature line: key hash, then signature) is ours. */
  public boolean verifies(String name, byte[] signature, String text) {
    if (!this.name.equals(name)
        || signature == null
        || signature.length != 4 + 64
        || !MessageDigest.isEqual(Arrays.copyOf(signature, 4), keyHash)) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(Arrays.copyOfRange(signature, 4, signature.length));
  }
}
