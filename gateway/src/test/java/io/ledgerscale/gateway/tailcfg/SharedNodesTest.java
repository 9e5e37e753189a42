// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A peer entry written once and spliced into every message must be exactly what Jackson writes for
 * that message, and never the bytes of another version of the peer.
 */
class SharedNodesTest {
  private static final long ID = 7_000_001;

  @Test
  void aSharedPeerIsWrittenAsJacksonWritesIt() throws Exception {
    Node shared =
        SharedNodes.withPresence(
            peer("laptop", "192.0.2.1:41641"), null, true, java.time.Instant::toString);

    MapResponse full = message(List.of(shared, unshared()), null);
    MapResponse delta = message(null, List.of(shared));

    assertSameBytes(full);
    assertSameBytes(delta);
    assertThat(SharedNodes.json(shared)).as("written once, then reused").isNotNull();
    assertThat(SharedNodes.json(shared)).isSameAs(SharedNodes.json(shared));
    assertSameBytes(full);
  }

  @Test
  void theSamePeerWithTheSamePresenceIsOneInstance() {
    Node base = peer("laptop", "192.0.2.1:41641");

    Node a = SharedNodes.withPresence(base, null, true, java.time.Instant::toString);
    Node b = SharedNodes.withPresence(base, null, true, java.time.Instant::toString);
    Node offline =
        SharedNodes.withPresence(
            base,
            java.time.Instant.parse("2026-11-22T10:05:00Z"),
            false,
            java.time.Instant::toString);

    assertThat(b).isSameAs(a);
    assertThat(offline).isNotSameAs(a);
    assertThat(offline.online()).isFalse();
    assertThat(offline.lastSeen()).isEqualTo("2026-11-22T10:05:00Z");
    assertThat(offline.hostinfo()).isSameAs(base.hostinfo());
  }

  @Test
  void aChangedPeerNeverGoesOutWithTheBytesOfItsFormerSelf() throws Exception {
    Node before =
        SharedNodes.withPresence(
            peer("laptop", "192.0.2.1:41641"), null, true, java.time.Instant::toString);
    MapResponse old = message(List.of(before), null);
    String oldJson = new String(TailcfgJson.MAPPER.writeValueAsBytes(old), "UTF-8");

    // the peer moves and is renamed; a message built before still holds the former instance
    Node moved = peer("desk", "198.51.100.9:41641");
    Node after = SharedNodes.withPresence(moved, null, true, java.time.Instant::toString);
    MapResponse fresh = message(List.of(after), null);

    assertSameBytes(fresh);
    assertThat(new String(TailcfgJson.MAPPER.writeValueAsBytes(fresh), "UTF-8"))
        .contains("desk", "198.51.100.9:41641")
        .doesNotContain("laptop");
    assertSameBytes(old);
    assertThat(new String(TailcfgJson.MAPPER.writeValueAsBytes(old), "UTF-8"))
        .isEqualTo(oldJson)
        .contains("laptop");

    // and its presence changes too
    Node offline =
        SharedNodes.withPresence(
            moved,
            java.time.Instant.parse("2026-11-22T10:05:00Z"),
            false,
            java.time.Instant::toString);
    MapResponse gone = message(null, List.of(offline));
    assertSameBytes(gone);
    assertThat(new String(TailcfgJson.MAPPER.writeValueAsBytes(gone), "UTF-8"))
        .contains("\"Online\":false", "\"LastSeen\":\"2026-11-22T10:05:00Z\"");
    assertSameBytes(fresh);
  }

  @Test
  void aMessageBuiltJustBeforeItsPeersPresenceChangedStillReusesThePeersBytes() throws Exception {
    Node base = peer("laptop", "192.0.2.1:41641");
    Node online = SharedNodes.withPresence(base, null, true, java.time.Instant::toString);
    MapResponse built = message(List.of(online), null);
    byte[] written = SharedNodes.json(online);

    // the node drops off and comes back, as in a reconnect, before the message is written
    java.time.Instant t = java.time.Instant.parse("2026-11-22T10:05:00Z");
    SharedNodes.withPresence(base, t, false, java.time.Instant::toString);
    Node again = SharedNodes.withPresence(base, null, true, java.time.Instant::toString);

    assertThat(again).isNotSameAs(online);
    assertThat(SharedNodes.json(online)).isSameAs(written);
    assertSameBytes(built);

    // a few changes later the former instance is forgotten, and written anew like any other node
    for (int i = 1; i <= SharedNodes.EARLIER_KEPT; i++) {
      SharedNodes.withPresence(base, t.plusSeconds(i), false, java.time.Instant::toString);
    }
    assertThat(SharedNodes.json(online)).isNull();
    assertSameBytes(built);
  }

  @Test
  void treesAndPrettyTextAreBuiltAsJacksonBuildsThem() throws Exception {
    Node shared =
        SharedNodes.withPresence(
            peer("laptop", "192.0.2.1:41641"), null, true, java.time.Instant::toString);
    MapResponse full = message(List.of(shared), null);
    // written once before, so the bytes are there to be (wrongly) spliced
    TailcfgJson.MAPPER.writeValueAsBytes(full);

    JsonNode tree = TailcfgJson.MAPPER.valueToTree(full);

    assertThat(tree).isEqualTo(TailcfgJson.PLAIN.valueToTree(full));
    assertThat(tree.at("/Peers/0/Hostinfo/NetInfo/PreferredDERP").asInt()).isEqualTo(900);
    assertThat(TailcfgJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(full))
        .isEqualTo(TailcfgJson.PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(full));
    assertThat(TailcfgJson.MAPPER.writeValueAsString(full))
        .isEqualTo(TailcfgJson.PLAIN.writeValueAsString(full));
  }

  private static void assertSameBytes(MapResponse m) throws Exception {
    assertThat(TailcfgJson.MAPPER.writeValueAsBytes(m))
        .isEqualTo(TailcfgJson.PLAIN.writeValueAsBytes(m));
  }

  private static MapResponse message(List<Node> peers, List<Node> changed) {
    return new MapResponse(
        null,
        unshared(),
        null,
        peers,
        changed,
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

  /** A peer with what makes JSON hard: nesting, floats, escapes, non-ASCII, null capabilities. */
  private static Node peer(String name, String endpoint) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    var hostinfo = f.objectNode();
    hostinfo.put("Hostname", name + " \"café\" ☕ </script>\n\u0001");
    hostinfo.put("OS", "linux");
    var netInfo = hostinfo.putObject("NetInfo");
    netInfo.put("PreferredDERP", 900);
    netInfo.putObject("DERPLatency").put("900-v4", 0.012345678901234);
    netInfo.putNull("HairPinning");
    hostinfo.putArray("Services").addObject().put("Proto", "peerapi4").put("Port", 41642);
    Map<String, List<JsonNode>> caps = new LinkedHashMap<>();
    caps.put("https://tailscale.com/cap/suggest-exit-node", null);
    caps.put("custom", List.of(f.booleanNode(false), f.textNode("x")));
    return new Node(
        ID,
        Long.toString(ID),
        name + ".tail.example.com.",
        3,
        "nodekey:" + "ab".repeat(32),
        "2027-01-01T00:00:00Z",
        "mkey:" + "cd".repeat(32),
        "discokey:" + "ef".repeat(32),
        List.of("100.64.0.7/32", "fd7a:115c:a1e0::7/128"),
        List.of("100.64.0.7/32", "fd7a:115c:a1e0::7/128", "10.0.0.0/8"),
        List.of(endpoint),
        900,
        hostinfo,
        "2026-11-22T10:00:00Z",
        null,
        List.of("tag:server"),
        List.of("10.0.0.0/8"),
        null,
        null,
        true,
        caps,
        null);
  }

  private static Node unshared() {
    return new Node(
        ID + 1,
        Long.toString(ID + 1),
        "self.tail.example.com.",
        1,
        "nodekey:" + "01".repeat(32),
        null,
        "mkey:" + "02".repeat(32),
        null,
        List.of("100.64.0.8/32"),
        List.of("100.64.0.8/32"),
        null,
        null,
        JsonNodeFactory.instance.objectNode().put("Hostname", "self"),
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
}
