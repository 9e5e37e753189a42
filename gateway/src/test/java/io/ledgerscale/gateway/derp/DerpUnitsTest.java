// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.gateway.noise.Curve25519;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames, the box, the send queue and STUN messages on their own. */
class DerpUnitsTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void boxOpensOnlyWithTheRightKeysAndUntamperedBytes() {
    byte[] a = Curve25519.generatePrivate(random);
    byte[] b = Curve25519.generatePrivate(random);
    byte[] ab = NaclBox.sharedKey(a, Curve25519.publicKey(b));
    byte[] ba = NaclBox.sharedKey(b, Curve25519.publicKey(a));
    assertThat(ab).isEqualTo(ba);
    byte[] box = NaclBox.seal(ab, "secret".getBytes(StandardCharsets.UTF_8), random);
    assertThat(box).hasSize(24 + 16 + 6);
    assertThat(new String(NaclBox.open(ba, box, 0, box.length), StandardCharsets.UTF_8))
        .isEqualTo("secret");
    byte[] other = NaclBox.sharedKey(Curve25519.generatePrivate(random), Curve25519.publicKey(a));
    assertThat(NaclBox.open(other, box, 0, box.length)).isNull();
    box[30] ^= 1;
    assertThat(NaclBox.open(ba, box, 0, box.length)).isNull();
    assertThat(NaclBox.open(ba, new byte[39], 0, 39)).isNull();
  }

  @Test
  void hsalsa20MatchesTheNaClTestVector() {
    // crypto_box_beforenm of NaCl's test (alice's secret key, bob's public key): "firstkey"
    byte[] shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    byte[] k = NaclBox.hsalsa20(shared, new byte[16]);
    assertThat(k)
        .isEqualTo(hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389"));
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  @Test
  void parserYieldsFramesFedAByteAtATimeIncludingEmptyOnes() throws Exception {
    ByteBuffer in = ByteBuffer.allocate(5 + 5 + 8);
    in.put(FrameType.WATCH_CONNS).putInt(0);
    in.put(FrameType.PING).putInt(8).putLong(42);
    byte[] raw = in.array();
    List<Byte> types = new ArrayList<>();
    FrameParser p = new FrameParser();
    for (byte b : raw) {
      p.feed(ByteBuffer.wrap(new byte[] {b}), (t, f) -> types.add(t));
    }
    assertThat(types).containsExactly(FrameType.WATCH_CONNS, FrameType.PING);
  }

  @Test
  void parserRefusesOnTheHeaderBeforeAllocating() {
    FrameParser p = new FrameParser();
    ByteBuffer huge = ByteBuffer.allocate(5).put(FrameType.CLIENT_INFO).putInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> p.feed(huge.flip(), (t, f) -> {}))
        .isInstanceOf(DerpProtocolException.class)
        .hasMessageContaining("more than");
    ByteBuffer pref = ByteBuffer.allocate(5).put(FrameType.NOTE_PREFERRED).putInt(0);
    assertThatThrownBy(() -> new FrameParser().feed(pref.flip(), (t, f) -> {}))
        .hasMessageContaining("too short");
  }

  @Test
  void sendQueueDropsTheOldestWhenFullAndKeepsTheNewest() {
    DerpMetrics m = new DerpMetrics();
    SendQueue q = new SendQueue(4);
    for (int i = 0; i < 6; i++) {
      byte[] f = new byte[5 + 32 + 1];
      f[37] = (byte) i;
      q.offer(f, m);
    }
    List<Integer> left = new ArrayList<>();
    byte[] f;
    while ((f = q.poll()) != null) {
      left.add((int) f[37]);
    }
    assertThat(left).containsExactly(2, 3, 4, 5);
    assertThat(m.droppedPackets(DropReason.QUEUE_HEAD)).isEqualTo(2);
  }

  @Test
  void stunAnswersABindingRequestWithTheSendersXoredAddress() throws Exception {
    ByteBuffer req = ByteBuffer.allocate(20 + 12);
    req.putShort((short) 1).putShort((short) 12).putInt(StunMessage.COOKIE);
    byte[] txid = new byte[12];
    random.nextBytes(txid);
    req.put(txid);
    req.putShort((short) 0x8022)
        .putShort((short) 8)
        .put("tailnode".getBytes(StandardCharsets.US_ASCII));
    req.flip();
    InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 41641);
    ByteBuffer r = StunMessage.answer(req, from);
    assertThat(r.getShort(0)).isEqualTo((short) 0x0101);
    byte[] id = new byte[12];
    r.get(8, id);
    assertThat(id).isEqualTo(txid);
    assertThat(r.getShort(20)).isEqualTo((short) 0x0020);
    assertThat(r.get(25)).isEqualTo((byte) 1);
    assertThat((r.getShort(26) & 0xffff) ^ 0x2112).isEqualTo(41641);
    assertThat(r.getInt(28) ^ StunMessage.COOKIE)
        .isEqualTo(ByteBuffer.wrap(from.getAddress().getAddress()).getInt());
    ByteBuffer notBinding =
        ByteBuffer.allocate(20)
            .putShort((short) 0x0101)
            .putShort((short) 0)
            .putInt(StunMessage.COOKIE);
    assertThat(StunMessage.answer(notBinding.flip(), from)).isNull();
    assertThat(StunMessage.answer(ByteBuffer.allocate(19), from)).isNull();
  }
}
