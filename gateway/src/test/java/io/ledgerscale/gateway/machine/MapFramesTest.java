// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.luben.zstd.Zstd;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.SharedNodes;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames as a client reads them, whatever the encoder kept from the messages before. */
class MapFramesTest {
  @Test
  void eachFrameIsTheMessagesJsonInOneZstdFrameWithItsSize() throws Exception {
    // large, small, large again: buffers kept from a larger message must not leak into a smaller
    for (int peers : new int[] {2000, 3, 0, 500, 1}) {
      MapResponse m = message(peers);
      byte[] json = TailcfgJson.MAPPER.writeValueAsBytes(m);

      byte[] zstd = payload(MapFrames.encode(m, true));
      byte[] plain = payload(MapFrames.encode(m, false));

      assertThat(plain).isEqualTo(json);
      assertThat(frames(zstd)).hasSize(1);
      // the content size is in the frame header, as Zstd.compress wrote it
      assertThat(Zstd.getFrameContentSize(zstd)).isEqualTo(json.length);
      assertThat(Zstd.decompress(zstd, json.length)).isEqualTo(json);
    }
  }

  @Test
  void aFleetsMapsShareTheFramesOfThePeersTheyShare() throws Exception {
    List<Node> everyone = shared(1, 400, "192.0.2.1");
    MapResponse seenBy5 = peersOf(everyone, 5);
    MapResponse seenBy200 = peersOf(everyone, 200);

    byte[] a = payload(MapFrames.encode(seenBy5, true));
    byte[] b = payload(MapFrames.encode(seenBy200, true));

    assertThat(decoded(a)).isEqualTo(json(seenBy5));
    assertThat(decoded(b)).isEqualTo(json(seenBy200));
    List<String> framesA = frames(a);
    List<String> framesB = frames(b);
    assertThat(framesA).hasSizeGreaterThan(3);
    // every group of peers but those of the two viewers went out as the very same frame
    List<String> common = new ArrayList<>(framesA);
    common.retainAll(framesB);
    assertThat(common).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void aPeerThatChangedIsNeverSentFromTheFramesOfItsFormerSelf() throws Exception {
    List<Node> before = shared(1, 300, "192.0.2.1");
    MapResponse old = peersOf(before, 1);
    payload(MapFrames.encode(old, true));

    // peer 70 moves: a new instance in the same group of peers
    List<Node> after = new ArrayList<>(before);
    after.set(69, shared(70, 70, "198.51.100.9").get(0));
    MapResponse moved = peersOf(after, 1);

    assertThat(new String(decoded(payload(MapFrames.encode(moved, true))), "UTF-8"))
        .isEqualTo(new String(json(moved), "UTF-8"))
        .contains("198.51.100.9:40070")
        .doesNotContain("192.0.2.1:40070");
    // a message still holding the former peer says what it said
    assertThat(decoded(payload(MapFrames.encode(old, true)))).isEqualTo(json(old));
    assertThat(decoded(payload(MapFrames.encode(moved, true)))).isEqualTo(json(moved));
  }

  @Test
  void aFirstMapTakesTheRunsAlreadyCompressedWithoutWritingThemAgain() throws Exception {
    // ids of their own (groups 15 to 21), apart from the other tests' peers
    List<Node> everyone = shared(1001, 1400, "192.0.2.1");
    // two viewers at either end compress every group's run, the last group's without its last
    // entry (the list's last entry has no comma after it)
    byte[] early = payload(MapFrames.encode(peersOf(everyone, 1399), true));
    byte[] late = payload(MapFrames.encode(peersOf(everyone, 1005), true));
    // the entries are shared no more: more changes of each node than SharedNodes keeps earlier
    // instances for, so a map still holding them can only send their runs as compressed before
    // if it leaves them out of its JSON and puts the blocks in their place
    for (int change = 0; change < 4; change++) {
      for (int i = 1001; i <= 1400; i++) {
        SharedNodes.withPresence(node(i, "192.0.2.1"), null, change % 2 == 0, Object::toString);
      }
    }

    // viewer 1300: the run at the start of the list (1001-1023), the one at its end (1344-1399,
    // then 1400 written) and those between, all from blocks; its own group written
    for (long viewer : new long[] {1300, 1399, 1005, 1040}) {
      MapResponse m = peersOf(everyone, viewer);
      byte[] payload = payload(MapFrames.encode(m, true));

      assertThat(decoded(payload)).as("viewer %d", viewer).isEqualTo(json(m));
      List<String> common = new ArrayList<>(frames(payload));
      List<String> before = new ArrayList<>(frames(early));
      before.addAll(frames(late));
      common.retainAll(before);
      assertThat(common).as("viewer %d", viewer).hasSizeGreaterThanOrEqualTo(5);
    }
    MapResponse m = peersOf(everyone, 1300);
    assertThat(payload(MapFrames.encode(m, false))).isEqualTo(json(m));
  }

  private static byte[] json(MapResponse m) throws Exception {
    return TailcfgJson.MAPPER.writeValueAsBytes(m);
  }

  /**
   * The payload as a client decodes it: every frame in it, one after the other (frames of a message
   * of several do not say their size).
   */
  private static byte[] decoded(byte[] payload) throws Exception {
    try (com.github.luben.zstd.ZstdInputStream in =
        new com.github.luben.zstd.ZstdInputStream(new java.io.ByteArrayInputStream(payload))) {
      return in.readAllBytes();
    }
  }

  @Test
  void theFramesOfAMessageOfSeveralDoNotSayTheirSizeAndASingleFrameDoes() throws Exception {
    MapResponse fleet = peersOf(shared(1, 2000, "192.0.2.1"), 7);
    byte[] several = payload(MapFrames.encode(fleet, true));
    byte[] alone = payload(MapFrames.encode(message(2000), true));

    assertThat(frames(several)).hasSizeGreaterThan(10);
    assertThat(decoded(several)).isEqualTo(json(fleet));
    // with a size in each, Go clients' decoder copied all it had decoded before, frame after frame
    for (int at = 0; at < several.length; ) {
      assertThat(saysItsContentSize(several, at)).as("frame at %d", at).isFalse();
      at += Math.toIntExact(Zstd.findFrameCompressedSize(several, at));
    }
    assertThat(frames(alone)).hasSize(1);
    assertThat(saysItsContentSize(alone, 0)).isTrue();
  }

  /**
   * Whether the zstd frame at {@code at} has a Frame_Content_Size field (RFC 8878 3.1.1.1.1: the
   * descriptor after the 4-byte magic, its Frame_Content_Size_flag in bits 7-6, the field present
   * when that flag is set or Single_Segment_flag, bit 5, is).
   */
  private static boolean saysItsContentSize(byte[] payload, int at) {
    int descriptor = payload[at + 4] & 0xff;
    return (descriptor >>> 6) != 0 || (descriptor & 0x20) != 0;
  }

  /** The zstd frames of a payload, as text to compare. */
  private static List<String> frames(byte[] payload) {
    List<String> out = new ArrayList<>();
    for (int at = 0; at < payload.length; ) {
      int size = Math.toIntExact(Zstd.findFrameCompressedSize(payload, at));
      out.add(java.util.HexFormat.of().formatHex(payload, at, at + size));
      at += size;
    }
    return out;
  }

  private static List<Node> shared(int from, int to, String endpointHost) {
    List<Node> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(
          SharedNodes.withPresence(node(i, endpointHost), null, true, java.time.Instant::toString));
    }
    return out;
  }

  private static MapResponse peersOf(List<Node> everyone, long viewer) {
    return withPeers(
        node((int) viewer, "203.0.113.1"),
        everyone.stream().filter(p -> p.id() != viewer).toList());
  }

  @Test
  void aDeltaSentToManyStreamsIsEncodedOnceAndAFirstMapEveryTime() throws Exception {
    MapResponse delta = message(40);
    ByteBuffer first = MapFrames.encode(delta, true);
    ByteBuffer again = MapFrames.encode(delta, true);
    ByteBuffer plain = MapFrames.encode(delta, false);

    assertThat(again.array()).isSameAs(first.array());
    assertThat(payload(again)).isEqualTo(payload(first));
    assertThat(payload(plain)).isEqualTo(json(delta));
    // an equal message in another instance: encoded afresh, the same bytes
    MapResponse equal = message(40);
    ByteBuffer other = MapFrames.encode(equal, true);
    assertThat(other.array()).isNotSameAs(first.array());
    assertThat(payload(other)).isEqualTo(payload(first));
    // a first map is one stream's alone
    MapResponse full = peersOf(shared(1, 40, "192.0.2.1"), 3);
    assertThat(MapFrames.encode(full, true).array())
        .isNotSameAs(MapFrames.encode(full, true).array());
  }

  @Test
  void aKeepAliveIsTheSameFrameEveryTime() throws Exception {
    byte[] json = TailcfgJson.MAPPER.writeValueAsBytes(MapResponse.KEEP_ALIVE);
    assertThat(new String(json, "UTF-8")).isEqualTo("{\"KeepAlive\":true}");

    ByteBuffer first = MapFrames.encode(MapResponse.KEEP_ALIVE, true);
    byte[] a = payload(first);
    byte[] b = payload(MapFrames.encode(MapResponse.KEEP_ALIVE, true));

    assertThat(a).isEqualTo(b);
    assertThat(Zstd.decompress(a, json.length)).isEqualTo(json);
    assertThat(payload(MapFrames.encode(MapResponse.KEEP_ALIVE, false))).isEqualTo(json);
  }

  /** The payload after checking the u32 little-endian length in front of it. */
  private static byte[] payload(ByteBuffer frame) {
    ByteBuffer b = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int length = b.getInt();
    assertThat(b.remaining()).isEqualTo(length);
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  private static MapResponse message(int peerCount) {
    List<Node> peers = new ArrayList<>();
    for (int i = 1; i <= peerCount; i++) {
      Node base = node(i, "192.0.2.1");
      // never a run of shared entries long enough to go out as frames of their own
      peers.add(
          i % 2 == 0
              ? SharedNodes.withPresence(base, null, true, java.time.Instant::toString)
              : base);
    }
    return withPeers(peers);
  }

  private static Node node(int i, String endpointHost) {
    return new Node(
        i,
        Integer.toString(i),
        "node" + i + ".tail.example.com.",
        1,
        "nodekey:" + String.format("%064x", i * 0x9E3779B97F4A7C15L),
        null,
        "mkey:" + String.format("%064x", i),
        "discokey:" + String.format("%064x", i + 7),
        List.of("100.64.0." + (i % 250) + "/32"),
        List.of("100.64.0." + (i % 250) + "/32"),
        List.of(endpointHost + ":" + (40000 + i)),
        900,
        JsonNodeFactory.instance.objectNode().put("Hostname", "node" + i),
        null,
        null,
        null,
        null,
        null,
        null,
        true,
        null,
        null);
  }

  private static MapResponse withPeers(List<Node> peers) {
    return withPeers(null, peers);
  }

  private static MapResponse withPeers(Node self, List<Node> peers) {
    return new MapResponse(
        null,
        self,
        null,
        peers,
        null,
        null,
        null,
        null,
        "example.com",
        false,
        null,
        null,
        "2026-11-22T10:00:00Z",
        null);
  }
}
