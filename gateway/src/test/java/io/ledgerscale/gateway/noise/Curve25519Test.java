// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BoringSSL's X25519 and BouncyCastle's give the same keys, secrets and refusals. */
class Curve25519Test {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 7748, section 6.1
  private static final byte[] ALICE_PRIVATE =
      hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  private static final byte[] ALICE_PUBLIC =
      hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  private static final byte[] BOB_PRIVATE =
      hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  private static final byte[] BOB_PUBLIC =
      hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  private static final byte[] SHARED =
      hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

  /**
   * The points of small order as libsodium lists them (0, 1, two of order 8, and p - 1, p, p + 1,
   * which are not reduced), each also with its top bit set, which X25519 ignores: agreeing with any
   * gives the all-zero point.
   */
  private static final List<byte[]> LOW_ORDER =
      withTopBitVariants(
          hex("0000000000000000000000000000000000000000000000000000000000000000"),
          hex("0100000000000000000000000000000000000000000000000000000000000000"),
          hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
          hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
          hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
          hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
          hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));

  private static List<byte[]> withTopBitVariants(byte[]... points) {
    List<byte[]> all = new java.util.ArrayList<>();
    for (byte[] p : points) {
      all.add(p);
      byte[] high = p.clone();
      high[31] |= (byte) 0x80;
      all.add(high);
    }
    return List.copyOf(all);
  }

  @Test
  void theRfcKeysAndSecretComeOutOfTheChosenImplementation() throws Exception {
    assertThat(Curve25519.publicKey(ALICE_PRIVATE)).isEqualTo(ALICE_PUBLIC);
    assertThat(Curve25519.publicKey(BOB_PRIVATE)).isEqualTo(BOB_PUBLIC);
    assertThat(Curve25519.agree(ALICE_PRIVATE, BOB_PUBLIC)).isEqualTo(SHARED);
    assertThat(Curve25519.agree(BOB_PRIVATE, ALICE_PUBLIC)).isEqualTo(SHARED);
  }

  @Test
  void bothImplementationsGiveTheRfcKeysAndSecret() {
    assumeTrue(Curve25519.NATIVE != null);
    assertThat(Curve25519.agreeNative(ALICE_PRIVATE, BOB_PUBLIC)).isEqualTo(SHARED);
    assertThat(Curve25519.agreeJava(ALICE_PRIVATE, BOB_PUBLIC)).isEqualTo(SHARED);
    assertThat(Curve25519.publicKeyJava(ALICE_PRIVATE)).isEqualTo(ALICE_PUBLIC);
  }

  @Test
  void usesBoringSslOnLinuxX8664() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));
    assertThat(Curve25519.NATIVE).isNotNull();
  }

  @Test
  void bothImplementationsAgreeOnRandomKeysAndPointsWithTheTopBitSet() {
    assumeTrue(Curve25519.NATIVE != null);
    Random random = new Random(7748);
    for (int i = 0; i < 500; i++) {
      byte[] priv = new byte[32];
      byte[] point = new byte[32];
      random.nextBytes(priv);
      random.nextBytes(point);
      // unclamped scalars too: both clamp as RFC 7748 says, and ignore the point's top bit
      assertThat(Curve25519.agreeNative(priv, point))
          .as("key %s, point %s", HEX.formatHex(priv), HEX.formatHex(point))
          .isEqualTo(Curve25519.agreeJava(priv, point));
      assertThat(
              Curve25519.agreeNative(
                  priv,
                  new byte[] {
                    9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0
                  }))
          .isEqualTo(Curve25519.publicKeyJava(priv));
    }
  }

  @Test
  void aLowOrderPeerPointIsRefusedByBoth() {
    for (byte[] point : LOW_ORDER) {
      assertThatThrownBy(() -> Curve25519.agree(ALICE_PRIVATE, point))
          .as(HEX.formatHex(point))
          .isInstanceOf(NoiseException.class)
          .hasMessageContaining("all-zero");
      assertThat(Curve25519.agreeJava(ALICE_PRIVATE, point)).as(HEX.formatHex(point)).isNull();
      if (Curve25519.NATIVE != null) {
        assertThat(Curve25519.agreeNative(ALICE_PRIVATE, point)).as(HEX.formatHex(point)).isNull();
      }
    }
  }

  @Test
  void aKeyOfTheWrongLengthIsRefusedBeforeAnyArithmetic() {
    assertThatThrownBy(() -> Curve25519.agree(new byte[31], BOB_PUBLIC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Curve25519.agree(ALICE_PRIVATE, new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }
}
