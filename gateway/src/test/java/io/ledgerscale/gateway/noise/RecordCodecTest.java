// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private final SecureRandom random = new SecureRandom();
  private TransportCipher clientSend;
  private RecordDecoder server;
  private final List<byte[]> received = new ArrayList<>();

  @BeforeEach
  void handshake() throws Exception {
    NoiseResponder responder = new NoiseResponder(Curve25519.generatePrivate(random), random);
    TestInitiator client = new TestInitiator(responder.staticPublic(), 113, random);
    NoiseSession session = responder.respond(client.initiation());
    clientSend = client.finish(session.response())[0];
    server = new RecordDecoder(session.receive());
  }

  private void feed(byte[] bytes) throws NoiseException {
    server.feed(ByteBuffer.wrap(bytes), received::add);
  }

  @Test
  void canCarryAnEmptyRecord() throws Exception {
    byte[] rec = clientSend.sealRecord(new byte[0], 0, 0);
    assertThat(rec).hasSize(3 + 16);
    feed(rec);
    assertThat(received).hasSize(1);
    assertThat(received.get(0)).isEmpty();
  }

  @Test
  void canCarryARecordOfTheMaximumSize() throws Exception {
    byte[] plain = new byte[NoiseMessages.MAX_PLAINTEXT_SIZE];
    random.nextBytes(plain);
    byte[] rec = clientSend.sealRecord(plain, 0, plain.length);
    assertThat(rec).hasSize(4096);
    feed(rec);
    assertThat(received.get(0)).isEqualTo(plain);
  }

  @Test
  void cannotSealMoreThanOneRecordHolds() {
    byte[] plain = new byte[NoiseMessages.MAX_PLAINTEXT_SIZE + 1];
    assertThatThrownBy(() -> clientSend.sealRecord(plain, 0, plain.length))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSplitLongWritesIntoRecordsOfAtMost4096Bytes() throws Exception {
    byte[] plain = new byte[3 * NoiseMessages.MAX_PLAINTEXT_SIZE + 5];
    random.nextBytes(plain);
    byte[] wire = new RecordEncoder(clientSend).encode(plain, 0, plain.length);
    assertThat(wire).hasSize(plain.length + 4 * 19);
    feed(wire);
    assertThat(received).extracting(b -> b.length).containsExactly(4077, 4077, 4077, 5);
  }

  @Test
  void shouldReassembleRecordsSplitAtEveryByte() throws Exception {
    byte[] a = clientSend.sealRecord(new byte[] {1, 2, 3}, 0, 3);
    byte[] b = clientSend.sealRecord(new byte[] {4}, 0, 1);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    for (byte x : both) {
      feed(new byte[] {x});
    }
    assertThat(received).containsExactly(new byte[] {1, 2, 3}, new byte[] {4});
    assertThat(server.hasPartialRecord()).isFalse();
  }

  @Test
  void shouldHoldATruncatedRecordWithoutDeliveringIt() throws Exception {
    byte[] rec = clientSend.sealRecord(new byte[] {9, 9}, 0, 2);
    feed(java.util.Arrays.copyOf(rec, rec.length - 1));
    assertThat(received).isEmpty();
    assertThat(server.hasPartialRecord()).isTrue();
  }

  @Test
  void cannotAcceptAFrameLongerThan4096Bytes() {
    byte[] header = {NoiseMessages.TYPE_RECORD, 0x0f, (byte) 0xfe}; // 3 + 4094 = 4097
    assertThatThrownBy(() -> feed(header))
        .hasMessageContaining("exceeds max allowed Noise frame size");
    assertThat(received).isEmpty();
  }

  @Test
  void cannotAcceptABadTagAndStaysDeadAfterwards() throws Exception {
    byte[] rec = clientSend.sealRecord(new byte[] {1, 2, 3}, 0, 3);
    rec[rec.length - 1] ^= 1;
    assertThatThrownBy(() -> feed(rec)).hasMessageContaining("authentication failed");
    byte[] next = clientSend.sealRecord(new byte[] {4}, 0, 1);
    assertThatThrownBy(() -> feed(next)).hasMessageContaining("already failed");
    assertThat(received).isEmpty();
  }

  @Test
  void cannotAcceptAReplayedRecord() throws Exception {
    byte[] rec = clientSend.sealRecord(new byte[] {7}, 0, 1);
    feed(rec);
    assertThatThrownBy(() -> feed(rec)).hasMessageContaining("authentication failed");
    assertThat(received).hasSize(1);
  }

  @Test
  void cannotAcceptRecordsOutOfOrder() throws Exception {
    byte[] first = clientSend.sealRecord(new byte[] {1}, 0, 1);
    byte[] second = clientSend.sealRecord(new byte[] {2}, 0, 1);
    assertThatThrownBy(() -> feed(second)).hasMessageContaining("authentication failed");
    assertThat(first).isNotEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void cannotAcceptOtherMessageTypesAfterTheHandshake() {
    assertThatThrownBy(() -> feed(new byte[] {NoiseMessages.TYPE_INITIATION, 0, 0}))
        .hasMessageContaining("message type 1");
  }

  @Test
  void cannotAcceptARecordTooShortForItsTag() {
    assertThatThrownBy(() -> feed(new byte[] {NoiseMessages.TYPE_RECORD, 0, 2, 0, 0}))
        .hasMessageContaining("shorter than its tag");
  }

  @Test
  void shouldUseABigEndianCounterInTheNonce() throws Exception {
    // Standard Noise would put the counter little-endian; Tailscale's peers only agree with
    // big-endian. The
    // ciphertext of record n under our cipher must equal a raw ChaCha20-Poly1305 seal with nonce
    // 0^4 || BE64(n).
    byte[] key = new byte[32];
    random.nextBytes(key);
    TransportCipher c = new TransportCipher(key);
    c.sealRecord(new byte[0], 0, 0);
    byte[] rec = c.sealRecord(new byte[] {42}, 0, 1);
    byte[] nonce = new byte[12];
    nonce[11] = 1;
    byte[] expected = ChaChaPoly.seal(key, nonce, null, new byte[] {42}, 0, 1);
    assertThat(java.util.Arrays.copyOfRange(rec, 3, rec.length)).isEqualTo(expected);
  }
}
