// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note: text lines, a blank line, then signature lines {@code — <name> <base64(key
 * hash ‖ signature)>}. Signatures by keys the reader does not know are kept but never count (C2SP:
 * clients ignore unknown signatures, which allows key rotation and cosigners).
 */
public record SignedNote(String text, List<Signature> signatures) {
  static final String DASH = "\u2014 ";
  static final int MAX_LENGTH = 64 * 1024;

  public record Signature(String name, byte[] bytes) {}

  public static SignedNote parse(String note) {
    if (note == null || note.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a signed note is at most " + MAX_LENGTH + " characters");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new IllegalArgumentException("a signed note has its text, a blank line and signatures");
    }
    String text = note.substring(0, split + 1);
    checkText(text);
    List<Signature> signatures = new ArrayList<>();
    for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
      if (!line.startsWith(DASH)) {
        throw new IllegalArgumentException("a signature line starts with \"\u2014 \": " + line);
      }
      String[] parts = line.substring(DASH.length()).split(" ", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("a signature line is \u2014 <name> <signature>");
      }
      try {
        signatures.add(new Signature(parts[0], Base64.getDecoder().decode(parts[1])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a signature is not base64: " + line);
      }
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a signed note has at least one signature");
    }
    return new SignedNote(text, List.copyOf(signatures));
  }

  /** The keys among {@code trusted} that signed this note. */
  public List<NoteVerifier> signedBy(List<NoteVerifier> trusted) {
    List<NoteVerifier> found = new ArrayList<>();
    for (NoteVerifier key : trusted) {
      for (Signature s : signatures) {
        if (key.verifies(s.name(), s.bytes(), text)) {
          found.add(key);
          break;
        }
      }
    }
    return found;
  }

  static void checkText(String text) {
    if (text.isEmpty() || !text.endsWith("\n") || text.contains("\n\n")) {
      throw new IllegalArgumentException("a note's text is non-empty lines, each ending in \\n");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\n' && Character.isISOControl(c)) {
        throw new IllegalArgumentException("a note's text has no control characters");
      }
    }
  }
}
