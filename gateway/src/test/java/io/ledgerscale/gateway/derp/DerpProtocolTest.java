// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay over a real listener, driven byte by byte by {@link RawDerpClient}. */
class DerpProtocolTest {
  private final Set<RelayKey> denied = ConcurrentHashMap.newKeySet();
  private final RelayServer server =
      new RelayServer(
          nodeKey ->
              CompletableFuture.completedFuture(
                  denied.stream().anyMatch(k -> k.nodeKeyText().equals(nodeKey))
                      ? DerpAdmission.Verdict.DENY
                      : DerpAdmission.Verdict.ALLOW));

  @AfterEach
  void stop() {
    server.close();
  }

  private RawDerpClient connected() throws Exception {
    RawDerpClient c = new RawDerpClient(server.port());
    assertThat(c.handshake()).isEqualTo("{\"version\":2}");
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** a's packet reaches b with a's key as its source: the relay still works for others. */
  private void assertRelays(RawDerpClient a, RawDerpClient b) throws Exception {
    a.sendPacket(b.publicKey, bytes("ping through"));
    RawDerpClient.Frame f = b.readSkippingKeepAlives();
    assertThat(f.type()).isEqualTo(FrameType.RECV_PACKET);
    assertThat(Arrays.copyOfRange(f.payload(), 0, 32)).isEqualTo(a.publicKey);
    assertThat(new String(f.payload(), 32, f.payload().length - 32, StandardCharsets.UTF_8))
        .isEqualTo("ping through");
  }

  @Test
  void serverKeyCarriesTheMagicAndTheRelaysPublicKey() throws Exception {
    try (RawDerpClient c = new RawDerpClient(server.port())) {
      assertThat(c.serverKey).isEqualTo(server.relay.publicKey());
    }
  }

  @Test
  void relaysPacketsBothWaysAndCountsThem() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b = connected()) {
      assertRelays(a, b);
      assertRelays(b, a);
      assertThat(server.metrics.packetsRelayed()).isEqualTo(2);
      assertThat(server.metrics.bytesRelayed()).isEqualTo(2 * "ping through".length());
    }
  }

  @Test
  void answersPingWithPongOfTheSameData() throws Exception {
    try (RawDerpClient a = connected()) {
      a.send(FrameType.PING, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      RawDerpClient.Frame f = a.readSkippingKeepAlives();
      assertThat(f.type()).isEqualTo(FrameType.PONG);
      assertThat(f.payload()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }
  }

  @Test
  void tellsASenderWhenItsPeerLeaves() throws Exception {
    try (RawDerpClient a = connected()) {
      RawDerpClient b = connected();
      assertRelays(a, b);
      b.close();
      RawDerpClient.Frame f = a.readSkippingKeepAlives();
      assertThat(f.type()).isEqualTo(FrameType.PEER_GONE);
      assertThat(Arrays.copyOfRange(f.payload(), 0, 32)).isEqualTo(b.publicKey);
      assertThat(f.payload()[32]).isEqualTo(FrameType.PEER_GONE_DISCONNECTED);
    }
  }

  @Test
  void answersADiscoPacketToAnAbsentKeyWithPeerGoneNotHere() throws Exception {
    try (RawDerpClient a = connected()) {
      byte[] nobody = new byte[32];
      nobody[0] = 7;
      byte[] disco = new byte[6 + 32 + 24 + 16];
      System.arraycopy(
          new byte[] {'T', 'S', (byte) 0xF0, (byte) 0x9F, (byte) 0x92, (byte) 0xAC},
          0,
          disco,
          0,
          6);
      a.sendPacket(nobody, disco);
      RawDerpClient.Frame f = a.readSkippingKeepAlives();
      assertThat(f.type()).isEqualTo(FrameType.PEER_GONE);
      assertThat(f.payload()[32]).isEqualTo(FrameType.PEER_GONE_NOT_HERE);
      assertThat(server.metrics.droppedPackets(DropReason.UNKNOWN_DEST)).isEqualTo(1);
    }
  }

  @Test
  void sendsTheKeysPacketsToItsNewestConnectionUntilAnotherOneSends() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b1 = connected()) {
      RawDerpClient b2 = sameKey(b1);
      assertRelays(a, b2);
      // the older connection speaks: it is the active one again (last writer is active)
      b1.sendPacket(a.publicKey, bytes("b1 here"));
      assertThat(a.readSkippingKeepAlives().type()).isEqualTo(FrameType.RECV_PACKET);
      assertRelays(a, b1);
      b2.close();
    }
  }

  private RawDerpClient sameKey(RawDerpClient of) throws Exception {
    RawDerpClient c = new RawDerpClient(server.port());
    System.arraycopy(of.privateKey, 0, c.privateKey, 0, 32);
    System.arraycopy(of.publicKey, 0, c.publicKey, 0, 32);
    c.handshake();
    return c;
  }

  @Test
  void refusesAKeyTheAdmissionDenies() throws Exception {
    try (RawDerpClient a = new RawDerpClient(server.port())) {
      denied.add(RelayKey.of(a.publicKey, 0));
      a.hello(false);
      assertThat(a.closedByServer()).isTrue();
      assertThat(server.relay.connectedClients()).isZero();
      assertThat(server.metrics.refused()).isEqualTo(1);
    }
  }

  @Test
  void closesOnlyTheConnectionWhoseBoxDoesNotOpen() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b = connected();
        RawDerpClient bad = new RawDerpClient(server.port())) {
      bad.hello(true);
      assertThat(bad.closedByServer()).isTrue();
      assertRelays(a, b);
    }
  }

  @Test
  void closesOnlyTheConnectionWhoseFirstFrameIsNotClientInfo() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b = connected();
        RawDerpClient bad = new RawDerpClient(server.port())) {
      bad.sendPacket(a.publicKey, bytes("not yet"));
      assertThat(bad.closedByServer()).isTrue();
      assertRelays(a, b);
    }
  }

  @Test
  void closesOnlyTheConnectionThatAnnouncesAnOversizedPacket() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b = connected();
        RawDerpClient bad = connected()) {
      bad.sendRaw(FrameType.SEND_PACKET, 32 + 64 * 1024 + 1, new byte[0]);
      assertThat(bad.closedByServer()).isTrue();
      assertRelays(a, b);
    }
  }

  @Test
  void closesOnlyTheConnectionThatSendsAShortFrame() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b = connected();
        RawDerpClient bad = connected()) {
      bad.send(FrameType.SEND_PACKET, new byte[10]);
      assertThat(bad.closedByServer()).isTrue();
      assertRelays(a, b);
    }
  }

  @Test
  void closesOnlyTheConnectionThatSendsAnUnknownOrServerOnlyFrameType() throws Exception {
    for (byte type : new byte[] {0x30, FrameType.RECV_PACKET, FrameType.WATCH_CONNS}) {
      try (RawDerpClient a = connected();
          RawDerpClient b = connected();
          RawDerpClient bad = connected()) {
        bad.send(type, new byte[0]);
        assertThat(bad.closedByServer()).as("type %d", type).isTrue();
        assertRelays(a, b);
      }
    }
  }

  @Test
  void reassemblesFramesSplitAcrossWritesAndManyFramesInOneWrite() throws Exception {
    try (RawDerpClient a = connected();
        RawDerpClient b = connected()) {
      ByteBuffer two = ByteBuffer.allocate(2 * (5 + 32 + 3));
      for (String s : new String[] {"one", "two"}) {
        two.put(FrameType.SEND_PACKET).putInt(35).put(b.publicKey).put(bytes(s));
      }
      byte[] raw = two.array();
      for (int i = 0; i < raw.length; i += 7) {
        a.sendBytes(Arrays.copyOfRange(raw, i, Math.min(raw.length, i + 7)));
        Thread.sleep(2);
      }
      assertThat(new String(b.readSkippingKeepAlives().payload(), 32, 3, StandardCharsets.UTF_8))
          .isEqualTo("one");
      assertThat(new String(b.readSkippingKeepAlives().payload(), 32, 3, StandardCharsets.UTF_8))
          .isEqualTo("two");
    }
  }

  @Test
  void refusesAnUpgradeBeyondTheSourcesConnectionCap() throws Exception {
    try (RelayServer capped =
            new RelayServer(
                DerpAdmission.anyone(), new io.ledgerscale.gateway.limits.SourceCounter(100, 1));
        RawDerpClient first = new RawDerpClient(capped.port())) {
      first.handshake();
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", capped.port())) {
        s.getOutputStream()
            .write(
                "GET /derp HTTP/1.1\r\nHost: x\r\nUpgrade: DERP\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(head).isEqualTo("HTTP/1.1 429");
      }
    }
  }
}
