// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 signer of C2SP signed notes. Its key text is the Go {@code sumdb/note} form ({@code
 * PRIVATE+KEY+<name>+<hash>+<base64(0x01‖seed)>}), so other note tools can read it.
 */
public final class NoteSigner {
  private static final String PREFIX = "PRIVATE+KEY+";

  private final String name;
  private final Ed25519PrivateKeyParameters key;
  private final NoteVerifier verifier;

  public NoteSigner(String name, byte[] seed) {
    NoteVerifier.checkName(name);
    if (seed == null || seed.length != 32) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    this.name = name;
    this.key = new Ed25519PrivateKeyParameters(seed, 0);
    this.verifier = new NoteVerifier(name, key.generatePublicKey().getEncoded());
  }

  public static NoteSigner generate(String name, SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return new NoteSigner(name, seed);
  }

  /** Reads the key text {@link #keyText()} writes; null when the text is not such a key. */
  public static NoteSigner parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = text.substring(PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) {
      return null;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(parts[2]);
      if (raw.length != 33 || raw[0] != NoteVerifier.ALG_ED25519) {
        return null;
      }
      NoteSigner signer = new NoteSigner(parts[0], Arrays.copyOfRange(raw, 1, 33));
      return signer.verifier.keyHashHex().equals(parts[1]) ? signer : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public String keyText() {
    byte[] raw = new byte[33];
    raw[0] = NoteVerifier.ALG_ED25519;
    System.arraycopy(key.getEncoded(), 0, raw, 1, 32);
    return PREFIX
        + name
        + "+"
        + verifier.keyHashHex()
        + "+"
        + Base64.getEncoder().encodeToString(raw);
  }

  public String name() {
    return name;
  }

  public NoteVerifier verifier() {
    return verifier;
  }

  /** The note with this signer's signature line appended; the text must end with a newline. */
  public String sign(String text) {
    SignedNote.checkText(text);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    signer.update(message, 0, message.length);
    byte[] signature = signer.generateSignature();
    byte[] line = new byte[4 + signature.length];
    System.arraycopy(verifier.keyHash(), 0, line, 0, 4);
    System.arraycopy(signature, 0, line, 4, signature.length);
    return text
        + "\n"
        + SignedNote.DASH
        + name
        + " "
        + Base64.getEncoder().encodeToString(line)
        + "\n";
  }

  @Override
  public String toString() {
    return "NoteSigner[" + name + "+" + HexFormat.of().formatHex(verifier.keyHash()) + "]";
  }
}
