// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.gateway.limits.SourceCounter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two relays on real listeners meshed as two instances are: each links to the other with the shared
 * mesh key, so a client of one reaches a client of the other; mesh frames and keys are taken only
 * from a peer that proves the key.
 */
class DerpMeshTest {
  private static final String KEY_HEX =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final MeshKey KEY = MeshKey.parse(KEY_HEX);
  private final RelayServer one = relay();
  private final RelayServer two = relay();
  private final List<AutoCloseable> open = new ArrayList<>();

  private static RelayServer relay() {
    return new RelayServer(DerpAdmission.anyone(), new SourceCounter(Integer.MAX_VALUE, 0), KEY);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    one.close();
    two.close();
  }

  private void mesh(RelayServer from, RelayServer to) {
    open.add(MeshPeer.start(from.relay, URI.create("http://127.0.0.1:" + to.port())));
  }

  private RawDerpClient connected(RelayServer s) throws Exception {
    RawDerpClient c = new RawDerpClient(s.port());
    c.handshake();
    open.add(c);
    return c;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  private static void assertReceives(RawDerpClient to, RawDerpClient from, String text)
      throws Exception {
    RawDerpClient.Frame f = to.readSkippingKeepAlives();
    assertThat(f.type()).isEqualTo(FrameType.RECV_PACKET);
    assertThat(Arrays.copyOfRange(f.payload(), 0, 32)).isEqualTo(from.publicKey);
    assertThat(new String(f.payload(), 32, f.payload().length - 32, StandardCharsets.UTF_8))
        .isEqualTo(text);
  }

  @Test
  void aClientOfOneRelayReachesAClientOfTheOtherBothWays() throws Exception {
    mesh(one, two);
    mesh(two, one);
    RawDerpClient a = connected(one);
    RawDerpClient b = connected(two);
    await(
        () -> one.relay.remoteClients() == 1 && two.relay.remoteClients() == 1,
        "each relay learns the other's client");
    assertThat(one.relay.meshLinksUp()).isEqualTo(1);
    assertThat(one.relay.meshWatchers()).isEqualTo(1);

    a.sendPacket(b.publicKey, "across".getBytes(StandardCharsets.UTF_8));
    assertReceives(b, a, "across");
    b.sendPacket(a.publicKey, "and back".getBytes(StandardCharsets.UTF_8));
    assertReceives(a, b, "and back");

    assertThat(one.metrics.packetsForwardedOut()).isEqualTo(1);
    assertThat(two.metrics.packetsForwardedIn()).isEqualTo(1);
    assertThat(two.metrics.packetsForwardedOut()).isEqualTo(1);
    assertThat(one.metrics.packetsForwardedIn()).isEqualTo(1);
    // a mesh peer is not a relay client
    assertThat(one.relay.connectedClients()).isEqualTo(1);
  }

  @Test
  void withoutTheMeshTheOtherRelaysClientIsUnknown() throws Exception {
    RawDerpClient a = connected(one);
    RawDerpClient b = connected(two);
    a.sendPacket(b.publicKey, "nowhere".getBytes(StandardCharsets.UTF_8));
    await(
        () -> one.metrics.droppedPackets(DropReason.UNKNOWN_DEST) == 1, "dropped as unknown dest");
    assertThat(one.metrics.packetsForwardedOut()).isZero();
  }

  @Test
  void aSenderIsToldWhenItsPeerLeavesTheOtherRelay() throws Exception {
    mesh(one, two);
    RawDerpClient a = connected(one);
    RawDerpClient b = connected(two);
    await(() -> one.relay.remoteClients() == 1, "relay one learns b");
    a.sendPacket(b.publicKey, "hello".getBytes(StandardCharsets.UTF_8));
    assertReceives(b, a, "hello");

    b.close();

    RawDerpClient.Frame f = a.readSkippingKeepAlives();
    assertThat(f.type()).isEqualTo(FrameType.PEER_GONE);
    assertThat(Arrays.copyOfRange(f.payload(), 0, 32)).isEqualTo(b.publicKey);
    assertThat(one.relay.remoteClients()).isZero();
  }

  @Test
  void aLinkToItselfIsRecognisedAndNotUsed() throws Exception {
    MeshPeer self = MeshPeer.start(one.relay, URI.create("http://127.0.0.1:" + one.port()));
    open.add(self);
    connected(one);
    await(self::isSelf, "the link sees its own key");
    assertThat(one.relay.meshWatchers()).isZero();
    assertThat(one.relay.remoteClients()).isZero();
  }

  @Test
  void aWrongMeshKeyClosesThatConnectionOnly() throws Exception {
    RawDerpClient a = connected(one);
    RawDerpClient b = connected(one);
    try (RawDerpClient bad = new RawDerpClient(one.port())) {
      bad.hello(false, "{\"version\":2,\"meshKey\":\"" + KEY_HEX.replace('0', 'f') + "\"}");
      assertThat(bad.closedByServer()).isTrue();
    }
    assertThat(one.metrics.refused()).isEqualTo(1);
    a.sendPacket(b.publicKey, "still".getBytes(StandardCharsets.UTF_8));
    assertReceives(b, a, "still");
  }

  @Test
  void aRelayWithoutAMeshKeyTakesNoMeshPeer() throws Exception {
    try (RelayServer plain = new RelayServer(DerpAdmission.anyone());
        RawDerpClient peer = new RawDerpClient(plain.port())) {
      peer.hello(false, "{\"version\":2,\"meshKey\":\"" + KEY_HEX + "\"}");
      assertThat(peer.closedByServer()).isTrue();
    }
  }

  @Test
  void forwardPacketFromAnOrdinaryClientClosesIt() throws Exception {
    RawDerpClient a = connected(one);
    RawDerpClient b = connected(one);
    try (RawDerpClient bad = connected(one)) {
      bad.send(
          FrameType.FORWARD_PACKET,
          RawDerpClient.concat(RawDerpClient.concat(bad.publicKey, b.publicKey), new byte[] {1}));
      assertThat(bad.closedByServer()).isTrue();
    }
    a.sendPacket(b.publicKey, "still".getBytes(StandardCharsets.UTF_8));
    assertReceives(b, a, "still");
  }

  @Test
  void aMeshPeerIsToldOfConnectionsAndMayForwardToThem() throws Exception {
    RawDerpClient a = connected(one);
    try (RawDerpClient peer = new RawDerpClient(one.port())) {
      peer.hello(false, "{\"version\":2,\"meshKey\":\"" + KEY_HEX.toUpperCase() + "\"}");
      assertThat(peer.read().type()).isEqualTo(FrameType.SERVER_INFO);
      peer.send(FrameType.WATCH_CONNS, new byte[0]);
      RawDerpClient.Frame present = peer.readSkippingKeepAlives();
      assertThat(present.type()).isEqualTo(FrameType.PEER_PRESENT);
      assertThat(Arrays.copyOfRange(present.payload(), 0, 32)).isEqualTo(a.publicKey);
      assertThat(present.payload()).hasSize(32 + 16 + 2 + 1);

      byte[] elsewhere = new byte[32];
      elsewhere[0] = 9;
      peer.send(
          FrameType.FORWARD_PACKET,
          RawDerpClient.concat(
              RawDerpClient.concat(elsewhere, a.publicKey),
              "forwarded".getBytes(StandardCharsets.UTF_8)));
      RawDerpClient.Frame f = a.readSkippingKeepAlives();
      assertThat(f.type()).isEqualTo(FrameType.RECV_PACKET);
      assertThat(Arrays.copyOfRange(f.payload(), 0, 32)).isEqualTo(elsewhere);
      assertThat(new String(f.payload(), 32, f.payload().length - 32, StandardCharsets.UTF_8))
          .isEqualTo("forwarded");

      RawDerpClient b = connected(one);
      RawDerpClient.Frame joined = peer.readSkippingKeepAlives();
      assertThat(joined.type()).isEqualTo(FrameType.PEER_PRESENT);
      assertThat(Arrays.copyOfRange(joined.payload(), 0, 32)).isEqualTo(b.publicKey);
      b.close();
      RawDerpClient.Frame left = peer.readSkippingKeepAlives();
      assertThat(left.type()).isEqualTo(FrameType.PEER_GONE);
      assertThat(Arrays.copyOfRange(left.payload(), 0, 32)).isEqualTo(b.publicKey);

      // forwarded for a key not here: dropped, never forwarded again
      peer.send(
          FrameType.FORWARD_PACKET,
          RawDerpClient.concat(RawDerpClient.concat(elsewhere, b.publicKey), new byte[] {1}));
      await(
          () -> one.metrics.droppedPackets(DropReason.UNKNOWN_DEST_ON_FWD) == 1,
          "dropped as unknown_dest_on_fwd");
    }
  }

  @Test
  void aWatchingMeshPeerIsToldOfAGracefulStopThenTheStreamEnds() throws Exception {
    try (RawDerpClient peer = new RawDerpClient(one.port())) {
      peer.hello(false, "{\"version\":2,\"meshKey\":\"" + KEY_HEX + "\"}");
      assertThat(peer.read().type()).isEqualTo(FrameType.SERVER_INFO);
      peer.send(FrameType.WATCH_CONNS, new byte[0]);
      await(() -> one.relay.meshWatchers() == 1, "watching");

      one.relay.closeAll(Duration.ofSeconds(5));

      RawDerpClient.Frame f = peer.readSkippingKeepAlives();
      assertThat(f.type()).isEqualTo(FrameType.RESTARTING);
      assertThat(f.payload()).hasSize(8);
      int reconnectIn = ByteBuffer.wrap(f.payload()).getInt(0);
      int tryFor = ByteBuffer.wrap(f.payload()).getInt(4);
      assertThat(reconnectIn).isBetween(0, DerpRelay.RESTART_SMEAR_MILLIS);
      assertThat(tryFor).isEqualTo(DerpRelay.RESTART_TRY_FOR_MILLIS);
      assertThat(peer.closedByServer()).isTrue();
      assertThat(one.relay.meshWatchers()).isZero();
    }
  }

  @Test
  void theMeshKeyIsSixtyFourHexDigitsAndNeverPrinted() {
    assertThatThrownBy(() -> MeshKey.parse("abcd")).hasMessageNotContaining("abcd");
    assertThatThrownBy(() -> MeshKey.parse("0".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MeshKey.parse(" " + KEY_HEX + "\n").toString()).doesNotContain(KEY_HEX);
    assertThat(KEY.matches(KEY_HEX.toUpperCase())).isTrue();
    assertThat(KEY.matches(HexFormat.of().formatHex(new byte[32]))).isFalse();
    assertThat(KEY.matches("zz")).isFalse();
  }
}
