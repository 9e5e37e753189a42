// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
  // the example of golang.org/x/mod/sumdb/note, the reference implementation of signed notes
  static final String GO_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String GO_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String GO_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String GO_NOTE =
      GO_TEXT
          + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  @Test
  void signsAndReadsKeysExactlyAsTheGoReferenceDoes() {
    NoteSigner signer = NoteSigner.parse(GO_SKEY);
    assertThat(signer).isNotNull();
    assertThat(signer.keyText()).isEqualTo(GO_SKEY);
    assertThat(signer.verifier().keyText()).isEqualTo(GO_VKEY);
    assertThat(signer.sign(GO_TEXT)).isEqualTo(GO_NOTE);
    SignedNote note = SignedNote.parse(GO_NOTE);
    assertThat(note.text()).isEqualTo(GO_TEXT);
    assertThat(note.signedBy(List.of(NoteVerifier.parse(GO_VKEY)))).hasSize(1);
  }

  @Test
  void aChangedTextOrAnotherKeyDoesNotVerify() {
    NoteVerifier peter = NoteVerifier.parse(GO_VKEY);
    String changed = GO_NOTE.replace("problem,", "problem;");
    assertThat(SignedNote.parse(changed).signedBy(List.of(peter))).isEmpty();
    NoteSigner mallory = NoteSigner.generate("PeterNeumann", new SecureRandom());
    // same name, other key: its key hash differs, and the signature is not Peter's
    assertThat(SignedNote.parse(mallory.sign(GO_TEXT)).signedBy(List.of(peter))).isEmpty();
    // an unknown cosignature is ignored, Peter's still counts
    String cosigned = mallory.sign(GO_TEXT);
    String both = GO_NOTE + cosigned.substring(cosigned.indexOf('\u2014'));
    assertThat(SignedNote.parse(both).signedBy(List.of(peter))).containsExactly(peter);
  }

  @Test
  void malformedKeysAndNotesAreRefusedWithAReason() {
    assertThatThrownBy(
            () ->
                NoteVerifier.parse(
                    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .hasMessageContaining("does not match");
    assertThatThrownBy(() -> NoteVerifier.parse("nonsense")).hasMessageContaining("verifier key");
    assertThat(
            NoteSigner.parse(
                "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"))
        .isNull();
    assertThatThrownBy(() -> SignedNote.parse(GO_TEXT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCheckpointRoundTrips() {
    Checkpoint c = new Checkpoint("example.com/audit", 42, LedgerHash.empty());
    assertThat(c.body())
        .isEqualTo("example.com/audit\n42\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
    Checkpoint back = Checkpoint.parse(c.body());
    assertThat(back.size()).isEqualTo(42);
    assertThat(back.root()).isEqualTo(c.root());
    assertThatThrownBy(
            () -> Checkpoint.parse("o\n042\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"))
        .hasMessageContaining("canonical");
  }
}
