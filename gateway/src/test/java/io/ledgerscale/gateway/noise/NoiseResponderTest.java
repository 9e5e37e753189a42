// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NoiseResponderTest {
  private final SecureRandom random = new SecureRandom();
  private final byte[] serverPrivate = Curve25519.generatePrivate(random);
  private final NoiseResponder responder = new NoiseResponder(serverPrivate, random);

  @Test
  void canCompleteAHandshakeAndExchangeRecordsBothWays() throws Exception {
    TestInitiator client = new TestInitiator(responder.staticPublic(), 113, random);
    NoiseSession session = responder.respond(client.initiation());
    TransportCipher[] c = client.finish(session.response());

    assertThat(session.peerMachineKey()).isEqualTo(client.machinePublic);
    assertThat(session.protocolVersion()).isEqualTo(113);
    assertThat(session.response()).hasSize(51);
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] rec = c[0].sealRecord(hello, 0, hello.length);
    assertThat(session.receive().open(rec, 3, rec.length - 3)).isEqualTo(hello);
    byte[] back = session.send().sealRecord(hello, 0, hello.length);
    assertThat(c[1].open(back, 3, back.length - 3)).isEqualTo(hello);
  }

  @Test
  void shouldBindTheVersionFromTheHeaderIntoThePrologue() throws Exception {
    TestInitiator client = new TestInitiator(responder.staticPublic(), 145, random);
    byte[] init = client.initiation();
    init[1] = (byte) 113; // a middlebox "downgrades" the version: the transcript no longer matches
    assertThatThrownBy(() -> responder.respond(init))
        .isInstanceOf(NoiseException.class)
        .hasMessageContaining("decrypting machine key");
  }

  @Test
  void cannotHandshakeWithAnotherServersKey() throws Exception {
    byte[] otherPublic = Curve25519.publicKey(Curve25519.generatePrivate(random));
    TestInitiator client = new TestInitiator(otherPublic, 113, random);
    assertThatThrownBy(() -> responder.respond(client.initiation()))
        .isInstanceOf(NoiseException.class)
        .hasMessageContaining("message authentication failed")
        .satisfies(e -> assertThat(((NoiseException) e).clientHint()).isNull());
  }

  @Test
  void cannotHandshakeWithMalformedInitiations() throws Exception {
    byte[] good = new TestInitiator(responder.staticPublic(), 113, random).initiation();
    byte[] shortOne = java.util.Arrays.copyOf(good, 100);
    byte[] wrongType = good.clone();
    wrongType[2] = 2;
    byte[] wrongLength = good.clone();
    wrongLength[4] = 95;
    byte[] badTag = good.clone();
    badTag[100] ^= 1;
    assertThatThrownBy(() -> responder.respond(shortOne))
        .satisfies(
            e ->
                assertThat(((NoiseException) e).clientHint())
                    .isEqualTo("wrong handshake initiation size"));
    assertThatThrownBy(() -> responder.respond(wrongType))
        .satisfies(
            e ->
                assertThat(((NoiseException) e).clientHint())
                    .isEqualTo("unexpected handshake message type"));
    assertThatThrownBy(() -> responder.respond(wrongLength))
        .satisfies(
            e ->
                assertThat(((NoiseException) e).clientHint())
                    .isEqualTo("wrong handshake initiation length"));
    assertThatThrownBy(() -> responder.respond(badTag))
        .hasMessageContaining("decrypting initiation tag");
  }

  @Test
  void cannotHandshakeWithALowOrderEphemeralKey() throws Exception {
    byte[] init = new TestInitiator(responder.staticPublic(), 113, random).initiation();
    java.util.Arrays.fill(init, 5, 37, (byte) 0); // the zero point: every DH with it is all-zero
    assertThatThrownBy(() -> responder.respond(init)).hasMessageContaining("all-zero");
  }

  @Test
  void shouldProduceTheSameTranscriptForTheSameInputs() throws Exception {
    TestInitiator client = new TestInitiator(responder.staticPublic(), 113, random);
    byte[] init = client.initiation();
    byte[] eph = Curve25519.generatePrivate(random);
    NoiseSession a = responder.respond(init, eph);
    NoiseSession b = responder.respond(init, eph);
    assertThat(a.response()).isEqualTo(b.response());
    assertThat(a.handshakeHash()).isEqualTo(b.handshakeHash());
  }

  @Test
  void shouldHashTheProtocolNameAsNoiseSpecifies() {
    // The name is 33 bytes (longer than BLAKE2s's 32), so h starts as its hash; known value of
    // BLAKE2s-256(name).
    assertThat(SymmetricState.PROTOCOL_NAME.length()).isEqualTo(33);
    assertThat(HexFormat.of().formatHex(Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
  }
}
