// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChaChaPolyTest {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 8439, section 2.8.2
  private static final byte[] KEY =
      HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  private static final byte[] NONCE = HEX.parseHex("070000004041424344454647");
  private static final byte[] AD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
  private static final byte[] PLAINTEXT =
      ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the"
              + " future, sunscreen would be it.")
          .getBytes(StandardCharsets.US_ASCII);
  private static final String SEALED =
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69"
          + "da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad6"
          + "75945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
          + "1ae10b594f09e26a7e902ecbd0600691";

  @Test
  void sealsTheRfcVector() {
    byte[] sealed = ChaChaPoly.seal(KEY, NONCE, AD, PLAINTEXT, 0, PLAINTEXT.length);

    assertThat(HEX.formatHex(sealed)).isEqualTo(SEALED);
  }

  @Test
  void opensTheRfcVector() throws NoiseException {
    byte[] sealed = HEX.parseHex(SEALED);

    assertThat(ChaChaPoly.open(KEY, NONCE, AD, sealed, 0, sealed.length)).isEqualTo(PLAINTEXT);
  }

  @Test
  void refusesAnyFlippedBitAndADifferentAd() {
    byte[] sealed = HEX.parseHex(SEALED);
    // a fresh cipher each time: the JDK would refuse a repeated key and nonce before the tag
    for (int i = 0; i < sealed.length; i += 7) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 1;
      assertThatThrownBy(() -> ChaChaPoly.open(KEY, NONCE, AD, tampered, 0, tampered.length))
          .isInstanceOf(NoiseException.class)
          .hasMessage("message authentication failed");
    }
    assertThatThrownBy(() -> ChaChaPoly.open(KEY, NONCE, new byte[12], sealed, 0, sealed.length))
        .isInstanceOf(NoiseException.class)
        .hasMessage("message authentication failed");
    assertThatThrownBy(() -> ChaChaPoly.open(KEY, NONCE, AD, sealed, 0, 15))
        .isInstanceOf(NoiseException.class);
  }

  @Test
  void oneInstanceKeepsSealingUnderFreshNoncesAfterAFailedOpen() throws NoiseException {
    ChaChaPoly sender = new ChaChaPoly(KEY);
    ChaChaPoly receiver = new ChaChaPoly(KEY);
    byte[] garbage = new byte[40];
    assertThatThrownBy(() -> receiver.open(NONCE, null, garbage, 0, garbage.length))
        .isInstanceOf(NoiseException.class);
    for (int n = 0; n < 3; n++) {
      byte[] nonce = new byte[12];
      nonce[11] = (byte) n;
      byte[] out = new byte[PLAINTEXT.length + ChaChaPoly.TAG_SIZE + 3];
      sender.seal(nonce, null, PLAINTEXT, 0, PLAINTEXT.length, out, 3);

      assertThat(receiver.open(nonce, null, out, 3, out.length - 3)).isEqualTo(PLAINTEXT);
    }
  }
}
