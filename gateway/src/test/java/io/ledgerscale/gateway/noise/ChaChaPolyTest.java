// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  /** Every implementation the server may use here. */
  static Stream<Arguments> providers() {
    Stream<Arguments> jdk = Stream.of(Arguments.of(Named.of("JDK", ChaChaPoly.JDK)));
    return ChaChaPoly.NATIVE == null
        ? jdk
        : Stream.concat(jdk, Stream.of(Arguments.of(Named.of("Conscrypt", ChaChaPoly.NATIVE))));
  }

  @Test
  void usesTheNativeImplementationOnLinuxX8664() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));

    assertThat(ChaChaPoly.NATIVE).isNotNull();
  }

  private static byte[] seal(Provider p, byte[] nonce, byte[] ad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + ChaChaPoly.TAG_SIZE];
    new ChaChaPoly(KEY, p).seal(nonce, ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  @Test
  void sealsAndOpensTheRfcVectorWithTheChosenImplementation() throws NoiseException {
    byte[] sealed = ChaChaPoly.seal(KEY, NONCE, AD, PLAINTEXT, 0, PLAINTEXT.length);

    assertThat(HEX.formatHex(sealed)).isEqualTo(SEALED);
    assertThat(ChaChaPoly.open(KEY, NONCE, AD, sealed, 0, sealed.length)).isEqualTo(PLAINTEXT);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void sealsTheRfcVector(Provider p) {
    assertThat(HEX.formatHex(seal(p, NONCE, AD, PLAINTEXT))).isEqualTo(SEALED);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void opensTheRfcVector(Provider p) throws NoiseException {
    byte[] sealed = HEX.parseHex(SEALED);

    assertThat(new ChaChaPoly(KEY, p).open(NONCE, AD, sealed, 0, sealed.length))
        .isEqualTo(PLAINTEXT);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void refusesAnyFlippedBitAndADifferentAd(Provider p) {
    byte[] sealed = HEX.parseHex(SEALED);
    // a fresh cipher each time: the JDK would refuse a repeated key and nonce before the tag
    for (int i = 0; i < sealed.length; i += 7) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 1;
      assertThatThrownBy(() -> new ChaChaPoly(KEY, p).open(NONCE, AD, tampered, 0, tampered.length))
          .isInstanceOf(NoiseException.class)
          .hasMessage("message authentication failed");
    }
    assertThatThrownBy(
            () -> new ChaChaPoly(KEY, p).open(NONCE, new byte[12], sealed, 0, sealed.length))
        .isInstanceOf(NoiseException.class)
        .hasMessage("message authentication failed");
    assertThatThrownBy(() -> new ChaChaPoly(KEY, p).open(NONCE, AD, sealed, 0, 15))
        .isInstanceOf(NoiseException.class);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void oneInstanceKeepsSealingUnderFreshNoncesAfterAFailedOpen(Provider p) throws NoiseException {
    ChaChaPoly sender = new ChaChaPoly(KEY, p);
    ChaChaPoly receiver = new ChaChaPoly(KEY, p);
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

  @Test
  void bothImplementationsAgreeOnFullRecordsInEitherDirection() throws NoiseException {
    assumeTrue(ChaChaPoly.NATIVE != null);
    byte[] record = new byte[NoiseMessages.MAX_PLAINTEXT_SIZE];
    new SecureRandom().nextBytes(record);
    ChaChaPoly jdk = new ChaChaPoly(KEY, ChaChaPoly.JDK);
    ChaChaPoly conscrypt = new ChaChaPoly(KEY, ChaChaPoly.NATIVE);
    for (int n = 0; n < 4; n++) {
      byte[] nonce = new byte[12];
      nonce[11] = (byte) n;
      byte[] a = new byte[record.length + ChaChaPoly.TAG_SIZE];
      byte[] b = new byte[record.length + ChaChaPoly.TAG_SIZE];
      jdk.seal(nonce, null, record, 0, record.length, a, 0);
      conscrypt.seal(nonce, null, record, 0, record.length, b, 0);

      assertThat(b).isEqualTo(a);
      // the receiving side's own instances, as in a session (the JDK refuses to decrypt under the
      // key and nonce it just encrypted with)
      assertThat(new ChaChaPoly(KEY, ChaChaPoly.NATIVE).open(nonce, null, a, 0, a.length))
          .isEqualTo(record);
      assertThat(new ChaChaPoly(KEY, ChaChaPoly.JDK).open(nonce, null, b, 0, b.length))
          .isEqualTo(record);
    }
  }
}
