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
      // the content size is in the frame header, as Zstd.compress wrote it
      assertThat(Zstd.getFrameContentSize(zstd)).isEqualTo(json.length);
      assertThat(Zstd.decompress(zstd, json.length)).isEqualTo(json);
    }
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
      Node base =
          new Node(
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
              List.of("192.0.2.1:" + (40000 + i)),
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
      peers.add(i % 2 == 0 ? SharedNodes.withPresence(base, null, true) : base);
    }
    return new MapResponse(
        null,
        null,
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
