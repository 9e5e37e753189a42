// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.connectivity.NodeConnectivity;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.policy.compile.CompiledPolicy;
import io.ledgerscale.domain.policy.compile.PolicyEngine;
import io.ledgerscale.gateway.support.TsHelper;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapBuilderTest {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final String DISCO_1 = "discokey:" + "01".repeat(32);
  static final String DISCO_2 = "discokey:" + "02".repeat(32);
  static final DERPMap DERP =
      new DERPMap(
          Map.of(
              "900",
              new DERPMap.Region(
                  900,
                  "test",
                  "Test",
                  List.of(
                      new DERPMap.DERPNode(
                          "900a", 900, "127.0.0.1", "127.0.0.1", "none", -1, 3340, true, null)))),
          null);
  static final MapSettings SETTINGS =
      new MapSettings(
          "tail.example.com",
          true,
          true,
          List.of("1.1.1.1"),
          Map.of(),
          List.of(),
          DERP,
          Duration.ofMinutes(30),
          ServerUrl.parse("http://127.0.0.1:8080"),
          "test",
          MapSettings.DEFAULT_BATCH_CHANGE_DELAY);
  @TempDir Path dir;

  private final MapBuilder builder = new MapBuilder(SETTINGS);
  private final List<UserView> users =
      List.of(
          new UserView(1, "alice", "Alice", "alice@example.com", null, null, null, NOW),
          new UserView(2, "bob", null, null, null, null, null, NOW));

  static NodeView node(long id, String name, long userId, List<String> tags, Instant expiry) {
    return new NodeView(
        id,
        "mkey:" + String.format("%064x", id),
        "nodekey:" + String.format("%064x", id),
        null,
        List.of("100.64.0." + id, "fd7a:115c:a1e0::" + id),
        name,
        name,
        userId,
        "u",
        tags,
        null,
        expiry,
        null,
        NOW,
        "REGISTER_METHOD_AUTH_KEY",
        false,
        false,
        List.of(),
        List.of());
  }

  static NodeConnectivity reach(long id, String disco, String endpoint) {
    return new NodeConnectivity(
        id,
        List.of(endpoint),
        disco,
        900,
        "{\"Hostname\":\"h" + id + "\",\"OS\":\"linux\",\"FutureField\":1}",
        true,
        NOW,
        "test",
        NOW);
  }

  private MapSnapshot tailnet(
      List<NodeView> nodes, CompiledPolicy policy, Map<Long, NodeConnectivity> conn) {
    return MapSnapshot.of(nodes, users, policy, conn, Set.of());
  }

  /**
   * The first message shows every peer's presence as its view holds it: streaming here, online
   * through another instance's session, or offline with when it was last seen.
   */
  @Test
  void aFirstMapShowsEachPeerOnlineAsItsViewHoldsItAndWhenAnOfflineOneWasLastSeen() {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(2, "desk", 1, List.of(), null),
            node(3, "server", 1, List.of(), null),
            node(4, "phone", 1, List.of(), null));
    Instant seen = NOW.minusSeconds(3600);
    Map<Long, NodeConnectivity> conn = new HashMap<>();
    for (long id = 1; id <= 4; id++) {
      conn.put(id, reach(id, "discokey:" + String.format("%02d", id).repeat(32), "192.0.2.1:1"));
    }
    // 2 streams here (its stored row says offline), 3 is online elsewhere, 4 is gone
    conn.put(2L, offline(conn.get(2L)));
    NodeConnectivity phone = offline(conn.get(4L));
    conn.put(
        4L,
        new NodeConnectivity(
            4L,
            phone.endpoints(),
            phone.discoKey(),
            phone.homeDerp(),
            phone.hostinfo(),
            false,
            seen,
            phone.instanceId(),
            phone.updatedAt()));
    MapSnapshot t = MapSnapshot.of(nodes, users, null, conn, Set.of(1L, 2L));

    NodeMap view = builder.build(1, t, NOW);
    MapResponse first = builder.full(view, t, NOW);
    MapResponse plain = fullThroughPlainMaps(view, t);

    for (MapResponse m : List.of(first, plain)) {
      assertThat(m.peers()).extracting(n -> n.id()).containsExactly(2L, 3L, 4L);
      assertThat(m.peers()).extracting(n -> n.online()).containsExactly(true, true, false);
      assertThat(m.peers())
          .extracting(n -> n.lastSeen())
          .containsExactly(null, null, NodeEntries.time(seen));
    }
    assertThat(view.online()).containsEntry(2L, true).containsEntry(4L, false);
  }

  @Test
  void withoutAPolicyEachViewerSeesEveryoneElseAsEveryOtherViewerSeesThem() throws Exception {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(2, "desk", 1, List.of(), null),
            node(3, "server", 2, List.of(), null),
            node(4, "phone", 1, List.of(), null),
            node(5, "new", 2, List.of(), null));
    Map<Long, NodeConnectivity> conn = new HashMap<>();
    for (long id = 1; id <= 4; id++) {
      conn.put(id, reach(id, "discokey:" + String.format("%02d", id).repeat(32), "192.0.2.1:1"));
    }
    // 4 is gone; 5 has not reported a disco key yet
    conn.put(4L, offline(conn.get(4L)));
    conn.put(5L, reach(5, null, "192.0.2.1:1"));
    MapSnapshot t = MapSnapshot.of(nodes, users, null, conn, Set.of(1L, 2L, 3L));

    Map<Long, MapResponse> firsts = new HashMap<>();
    for (long viewer = 1; viewer <= 5; viewer++) {
      NodeMap view = builder.build(viewer, t, NOW);
      MapResponse first = builder.full(view, t, NOW);
      firsts.put(viewer, first);
      List<Long> others = new java.util.ArrayList<>(List.of(1L, 2L, 3L, 4L));
      others.remove(viewer);
      assertThat(view.peers().keySet()).as("viewer %d", viewer).containsExactlyElementsOf(others);
      assertThat(first.peers()).extracting(n -> n.id()).containsExactlyElementsOf(others);
      for (long id : others) {
        assertThat(view.online().get(id)).as("%d seen by %d", id, viewer).isEqualTo(id != 4);
      }
      MapResponse plain = fullThroughPlainMaps(view, t);
      assertThat(writtenAsJacksonWrites(first)).isEqualTo(writtenAsJacksonWrites(plain));
    }
    // one shared entry a peer, whoever looks
    assertThat(peer(firsts.get(1L), 3)).isSameAs(peer(firsts.get(2L), 3));
    assertThat(peer(firsts.get(5L), 4)).isSameAs(peer(firsts.get(1L), 4));
    // a view edited since it was built shows its own entry, not the one of everyone
    NodeMap edited = builder.build(1, t, NOW);
    edited.peers().put(3L, edited.peers().get(2L));
    List<String> names = firsts.get(1L).peers().stream().map(n -> n.name()).toList();
    assertThat(builder.full(edited, t, NOW).peers())
        .extracting(n -> n.name())
        .containsExactly(names.get(0), names.get(0), names.get(2));
  }

  @Test
  void streamsHoldingTheSamePeersShareOneDeltaAndEachKeepsItsOwnView() throws Exception {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(2, "desk", 1, List.of(), null),
            node(3, "server", 2, List.of(), null),
            node(4, "phone", 2, List.of(), null));
    Map<Long, NodeConnectivity> conn = new java.util.HashMap<>();
    conn.put(1L, reach(1, DISCO_1, "192.0.2.1:41641"));
    conn.put(2L, reach(2, DISCO_2, "192.0.2.2:41641"));
    conn.put(3L, reach(3, "discokey:" + "03".repeat(32), "192.0.2.3:41641"));
    MapSnapshot before = tailnet(nodes, null, conn);
    NodeMap laptop = builder.build(1, before, NOW);
    NodeMap desk = builder.build(2, before, NOW);
    NodeMap alone = builder.build(2, before, NOW);
    // the phone reports its disco key: a new peer for everyone; the server already shows it
    conn.put(4L, reach(4, "discokey:" + "04".repeat(32), "192.0.2.4:41641"));
    MapSnapshot after = tailnet(nodes, null, conn);
    NodeMap server = builder.build(3, after, NOW);
    SharedDeltas shared = new SharedDeltas();

    MapBuilder.Patched forLaptop =
        builder.patchPeers(laptop, 1, Map.of(4L, true), false, false, after, NOW, shared);
    MapBuilder.Patched forDesk =
        builder.patchPeers(desk, 2, Map.of(4L, true), false, false, after, NOW, shared);
    MapBuilder.Patched forServer =
        builder.patchPeers(server, 3, Map.of(4L, true), false, false, after, NOW, shared);
    MapBuilder.Patched unshared =
        builder.patchPeers(alone, 2, Map.of(4L, true), false, false, after, NOW, null);

    assertThat(forDesk.delta()).isSameAs(forLaptop.delta());
    assertThat(writtenAsJacksonWrites(forLaptop.delta()))
        .isEqualTo(writtenAsJacksonWrites(unshared.delta()))
        .contains("192.0.2.4:41641");
    // it already held the phone as it is: nothing to tell
    assertThat(forServer.delta()).isNull();
    NodeMap laptopAfter = forLaptop.commit();
    NodeMap deskAfter = forDesk.commit();
    assertThat(laptopAfter.peers()).containsKeys(2L, 3L, 4L).doesNotContainKey(1L);
    assertThat(deskAfter.peers()).containsKeys(1L, 3L, 4L).doesNotContainKey(2L);
    assertThat(deskAfter.online().get(4L)).isEqualTo(after.online(4));
    assertThat(deskAfter.peers().get(4L)).isSameAs(server.peers().get(4L));
  }

  @Test
  void everyFullMapWritesItsPeersAsJacksonDoesAlsoAfterAPeerChanges() throws Exception {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(2, "server", 2, List.of(), null),
            node(3, "desk", 1, List.of(), null));
    Map<Long, NodeConnectivity> conn = new java.util.HashMap<>();
    conn.put(1L, reach(1, DISCO_1, "192.0.2.1:41641"));
    conn.put(2L, reach(2, DISCO_2, "192.0.2.2:41641"));
    conn.put(3L, reach(3, "discokey:" + "03".repeat(32), "192.0.2.3:41641"));
    MapSnapshot t = tailnet(nodes, null, conn);

    MapResponse one = builder.full(builder.build(1, t, NOW), t, NOW);
    MapResponse three = builder.full(builder.build(3, t, NOW), t, NOW);
    String before = writtenAsJacksonWrites(one);

    // one peer entry for every viewer, written once
    assertThat(peer(one, 2)).isSameAs(peer(three, 2));
    writtenAsJacksonWrites(three);

    // server moves and goes offline: the next map shows that, the one built before still what it
    // showed
    conn.put(
        2L,
        new NodeConnectivity(
            2,
            List.of("198.51.100.2:41641"),
            DISCO_2,
            900,
            "{\"Hostname\":\"moved\"}",
            false,
            NOW.minusSeconds(60),
            "test",
            NOW));
    MapSnapshot later = tailnet(nodes, null, conn);
    MapResponse after = builder.full(builder.build(1, later, NOW), later, NOW);

    assertThat(writtenAsJacksonWrites(after))
        .contains("198.51.100.2:41641", "\"Hostname\":\"moved\"", "\"Online\":false")
        .doesNotContain("192.0.2.2:41641");
    assertThat(writtenAsJacksonWrites(one)).isEqualTo(before).contains("192.0.2.2:41641");
  }

  /** The message as it goes out, checked against Jackson writing it from scratch (its tree). */
  /**
   * The complete map of the same view through plain maps, as a view not kept as tables is shown.
   */
  private MapResponse fullThroughPlainMaps(NodeMap view, MapSnapshot t) {
    return builder.full(
        new NodeMap(
            view.self(),
            new java.util.TreeMap<>(view.peers()),
            new HashMap<>(view.online()),
            view.packetFilter(),
            view.userProfiles(),
            view.sshPolicy()),
        t,
        NOW);
  }

  private static String writtenAsJacksonWrites(MapResponse m) throws Exception {
    byte[] out = TailcfgJson.MAPPER.writeValueAsBytes(m);
    assertThat(out)
        .isEqualTo(TailcfgJson.MAPPER.writeValueAsBytes(TailcfgJson.MAPPER.valueToTree(m)));
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static io.ledgerscale.gateway.tailcfg.Node peer(MapResponse m, long id) {
    return m.peers().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
  }

  @Test
  void canBuildACompleteFirstMessageWithoutAPolicy() throws Exception {
    MapSnapshot t =
        tailnet(
            List.of(node(1, "laptop", 1, List.of(), null), node(2, "server", 2, List.of(), null)),
            null,
            Map.of(
                1L,
                reach(1, DISCO_1, "192.0.2.1:41641"),
                2L,
                reach(2, DISCO_2, "192.0.2.2:41641")));

    MapResponse full = builder.full(builder.build(1, t, NOW), t, NOW);
    JsonNode json = TailcfgJson.MAPPER.valueToTree(full);

    assertThat(json.at("/Node/Name").asText()).isEqualTo("laptop.tail.example.com.");
    assertThat(json.at("/Node/Addresses").toString())
        .isEqualTo("[\"100.64.0.1/32\",\"fd7a:115c:a1e0::1/128\"]");
    assertThat(json.at("/Node/MachineAuthorized").asBoolean()).isTrue();
    assertThat(json.at("/Node/DiscoKey").asText()).isEqualTo(DISCO_1);
    assertThat(json.at("/Node/Hostinfo/FutureField").asInt()).isEqualTo(1);
    assertThat(json.at("/Node/CapMap").has(NodeEntries.CAP_ADMIN)).isTrue();
    assertThat(json.at("/Peers/0/Name").asText()).isEqualTo("server.tail.example.com.");
    assertThat(json.at("/Peers/0/HomeDERP").asInt()).isEqualTo(900);
    assertThat(json.at("/Peers/0/Online").asBoolean()).isTrue();
    assertThat(json.at("/DERPMap/Regions/900/RegionID").asInt()).isEqualTo(900);
    assertThat(json.at("/DNSConfig/Proxied").asBoolean()).isTrue();
    assertThat(json.at("/DNSConfig/Domains/0").asText()).isEqualTo("tail.example.com");
    assertThat(json.at("/DNSConfig/Routes/64.100.in-addr.arpa.").isArray()).isTrue();
    assertThat(json.at("/DNSConfig/Resolvers/0/Addr").asText()).isEqualTo("1.1.1.1");
    assertThat(json.at("/PacketFilter").toString())
        .isEqualTo(
            "[{\"SrcIPs\":[\"*\"],\"DstPorts\":[{\"IP\":\"*\",\"Ports\":{\"First\":0,\"Last\":65535}}]}]");
    assertThat(json.at("/UserProfiles").findValuesAsText("LoginName"))
        .containsExactly("alice@example.com", "bob");
    assertThat(json.at("/Debug/DisableLogTail").asBoolean()).isTrue();
    assertThat(json.at("/CollectServices").asBoolean(true)).isFalse();
    assertThat(json.at("/ControlTime").asText()).isEqualTo("2026-11-22T10:00:00Z");

    Path f = dir.resolve("map.json");
    Files.write(f, TailcfgJson.MAPPER.writeValueAsBytes(full));
    for (String version : List.of("v1.80.3", "v1.102.5")) {
      List<JsonNode> out =
          TsHelper.run(version, List.of("-decode-as", "MapResponse", "-decode-file", f.toString()));
      assertThat(TsHelper.event(out, "decoded").at("/value/Peers/0/DiscoKey").asText())
          .isEqualTo(DISCO_2);
    }
  }

  @Test
  void shouldHoldBackAPeerUntilItsDiscoKeyIsKnown() {
    Map<Long, NodeConnectivity> conn = new HashMap<>(Map.of(1L, reach(1, DISCO_1, "192.0.2.1:1")));
    List<NodeView> nodes =
        List.of(node(1, "laptop", 1, List.of(), null), node(2, "server", 2, List.of(), null));
    NodeMap before = builder.build(1, tailnet(nodes, null, conn), NOW);
    assertThat(before.peers()).isEmpty();

    conn.put(2L, reach(2, DISCO_2, "192.0.2.2:1"));
    MapSnapshot t = tailnet(nodes, null, conn);
    MapResponse delta = builder.delta(before, builder.build(1, t, NOW), t, NOW);

    assertThat(delta.peersChanged()).extracting(n -> n.id()).containsExactly(2L);
    assertThat(delta.node()).isNull();
  }

  @Test
  void shouldSendEndpointChangesAsAPatch() {
    List<NodeView> nodes =
        List.of(node(1, "laptop", 1, List.of(), null), node(2, "server", 2, List.of(), null));
    MapSnapshot t1 =
        tailnet(
            nodes,
            null,
            Map.of(1L, reach(1, DISCO_1, "a:1"), 2L, reach(2, DISCO_2, "192.0.2.2:1")));
    MapSnapshot t2 =
        tailnet(
            nodes,
            null,
            Map.of(1L, reach(1, DISCO_1, "a:1"), 2L, reach(2, DISCO_2, "198.51.100.9:2")));

    MapResponse delta =
        builder.delta(builder.build(1, t1, NOW), builder.build(1, t2, NOW), t2, NOW);

    assertThat(delta.peersChangedPatch()).hasSize(1);
    assertThat(delta.peersChangedPatch().get(0).endpoints()).containsExactly("198.51.100.9:2");
    assertThat(delta.peersChangedPatch().get(0).discoKey()).isNull();
    assertThat(delta.peersChanged()).isNull();
    assertThat(delta.packetFilter()).isNull();
  }

  @Test
  void shouldSendARenameToSelfAndPeersAndNothingWhenNothingChanged() {
    Map<Long, NodeConnectivity> conn =
        Map.of(1L, reach(1, DISCO_1, "a:1"), 2L, reach(2, DISCO_2, "b:1"));
    MapSnapshot t1 =
        tailnet(
            List.of(node(1, "laptop", 1, List.of(), null), node(2, "server", 2, List.of(), null)),
            null,
            conn);
    MapSnapshot t2 =
        tailnet(
            List.of(node(1, "laptop", 1, List.of(), null), node(2, "db", 2, List.of(), null)),
            null,
            conn);

    assertThat(builder.delta(builder.build(1, t1, NOW), builder.build(1, t1, NOW), t1, NOW))
        .isNull();
    MapResponse toPeer =
        builder.delta(builder.build(1, t1, NOW), builder.build(1, t2, NOW), t2, NOW);
    assertThat(toPeer.peersChanged())
        .extracting(n -> n.name())
        .containsExactly("db.tail.example.com.");
    MapResponse toSelf =
        builder.delta(builder.build(2, t1, NOW), builder.build(2, t2, NOW), t2, NOW);
    assertThat(toSelf.node().name()).isEqualTo("db.tail.example.com.");
  }

  @Test
  void shouldDropAnExpiredPeerAndTellTheExpiredNode() {
    Map<Long, NodeConnectivity> conn =
        Map.of(1L, reach(1, DISCO_1, "a:1"), 2L, reach(2, DISCO_2, "b:1"));
    Instant later = NOW.plusSeconds(3600);
    MapSnapshot t =
        tailnet(
            List.of(
                node(1, "laptop", 1, List.of(), null),
                node(2, "server", 2, List.of(), NOW.plusSeconds(60))),
            null,
            conn);

    MapResponse toPeer =
        builder.delta(builder.build(1, t, NOW), builder.build(1, t, later), t, later);
    assertThat(toPeer.peersRemoved()).containsExactly(2L);
    MapResponse toSelf =
        builder.delta(builder.build(2, t, NOW), builder.build(2, t, later), t, later);
    assertThat(toSelf.node().machineAuthorized()).isFalse();
    assertThat(toSelf.node().expired()).isTrue();
    assertThat(toSelf.peersRemoved()).containsExactly(1L);
  }

  @Test
  void shouldShowOnlyPeersThePolicyAllowsWithTheirFilter() {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(2, "server", 2, List.of(), null),
            node(3, "web", TaggedDevices.USER_ID, List.of("tag:web"), null));
    Map<Long, NodeConnectivity> conn =
        Map.of(
            1L,
            reach(1, DISCO_1, "a:1"),
            2L,
            reach(2, DISCO_2, "b:1"),
            3L,
            reach(3, "discokey:" + "03".repeat(32), "c:1"));
    String policy =
        "{\"tagOwners\":{\"tag:web\":[\"alice@\"]},"
            + "\"acls\":[{\"action\":\"accept\",\"src\":[\"alice@\"],\"dst\":[\"tag:web:443\"]}]}";
    CompiledPolicy compiled =
        PolicyEngine.compile(policy, TailnetLoader.snapshot(nodes, users, conn));
    MapSnapshot t = tailnet(nodes, compiled, conn);

    NodeMap alice = builder.build(1, t, NOW);
    NodeMap web = builder.build(3, t, NOW);
    NodeMap bob = builder.build(2, t, NOW);

    assertThat(alice.peers()).containsOnlyKeys(3L);
    assertThat(bob.peers()).isEmpty();
    assertThat(web.peers()).containsOnlyKeys(1L);
    assertThat(web.packetFilter()).hasSize(1);
    assertThat(web.packetFilter().get(0).srcIps()).contains("100.64.0.1");
    assertThat(web.packetFilter().get(0).dstPorts().get(0).ports().first()).isEqualTo(443);
    assertThat(web.userProfiles()).contains(UserProfiles.TAGGED_DEVICES);
    assertThat(alice.packetFilter()).isEmpty();
  }

  static NodeView router(long id, String name) {
    NodeView n = node(id, name, TaggedDevices.USER_ID, List.of("tag:router"), null);
    return new NodeView(
        n.id(),
        n.machineKey(),
        n.nodeKey(),
        n.discoKey(),
        n.ipAddresses(),
        n.hostname(),
        n.givenName(),
        n.userId(),
        n.userName(),
        n.tags(),
        n.lastSeen(),
        n.expiry(),
        n.preAuthKeyId(),
        n.createdAt(),
        n.registerMethod(),
        n.online(),
        n.ephemeral(),
        List.of("10.1.0.0/16"),
        List.of("10.1.0.0/16"));
  }

  static NodeConnectivity offline(NodeConnectivity c) {
    return new NodeConnectivity(
        c.nodeId(),
        c.endpoints(),
        c.discoKey(),
        c.homeDerp(),
        c.hostinfo(),
        false,
        c.lastSeen(),
        c.instanceId(),
        c.updatedAt());
  }

  @Test
  void shouldShowASubnetRouteOnItsPrimaryRouterOnlyAndOnlyToWhoMayReachItFailingOver() {
    List<NodeView> nodes =
        List.of(
            router(1, "r1"),
            router(2, "r2"),
            node(3, "laptop", 1, List.of(), null),
            node(4, "server", TaggedDevices.USER_ID, List.of("tag:server"), null));
    Map<Long, NodeConnectivity> conn = new HashMap<>();
    for (long id = 1; id <= 4; id++) {
      conn.put(
          id, reach(id, "discokey:" + String.format("%02d", id).repeat(32), "192.0.2.1:" + id));
    }
    String policy =
        "{\"tagOwners\":{\"tag:router\":[\"alice@\"],\"tag:server\":[\"alice@\"]},"
            + "\"acls\":[{\"action\":\"accept\",\"src\":[\"alice@\"],"
            + "\"dst\":[\"10.1.0.0/16:*\",\"tag:server:22\",\"tag:router:22\"]},"
            + "{\"action\":\"accept\",\"src\":[\"tag:server\"],\"dst\":[\"tag:router:22\"]}]}";
    CompiledPolicy compiled =
        PolicyEngine.compile(policy, TailnetLoader.snapshot(nodes, users, conn));
    MapSnapshot t = tailnet(nodes, compiled, conn);

    NodeMap laptop = builder.build(3, t, NOW);
    assertThat(laptop.peers().get(1L).allowedIps()).contains("10.1.0.0/16");
    assertThat(laptop.peers().get(1L).primaryRoutes()).containsExactly("10.1.0.0/16");
    assertThat(laptop.peers().get(2L).allowedIps()).doesNotContain("10.1.0.0/16");
    assertThat(laptop.peers().get(2L).primaryRoutes()).isNull();
    // the server may reach the routers but not the subnet
    assertThat(builder.build(4, t, NOW).peers().get(1L).allowedIps()).doesNotContain("10.1.0.0/16");
    assertThat(builder.build(1, t, NOW).self().primaryRoutes()).containsExactly("10.1.0.0/16");
    assertThat(builder.build(2, t, NOW).self().primaryRoutes()).isNull();

    // r1 goes offline: the laptop's view, patched for r1 alone, moves the route to r2
    Map<Long, NodeConnectivity> down = new HashMap<>(conn);
    down.put(1L, offline(conn.get(1L)));
    MapSnapshot t2 = tailnet(nodes, compiled, down);
    MapBuilder.Patched p =
        builder.patchPeers(laptop, 3, Map.of(1L, true), false, false, t2, NOW, null);
    NodeMap after = p.commit();
    assertThat(after.peers().get(2L).primaryRoutes()).containsExactly("10.1.0.0/16");
    assertThat(after.peers().get(1L).allowedIps()).doesNotContain("10.1.0.0/16");
    assertThat(p.delta().peersChanged()).extracting(n -> n.id()).contains(2L);

    // r1 returns: r2 keeps the route
    MapSnapshot t3 = tailnet(nodes, compiled, conn);
    assertThat(builder.build(3, t3, NOW).peers().get(2L).primaryRoutes())
        .containsExactly("10.1.0.0/16");
  }

  @Test
  void canSendCapabilityGrantsInThePacketFilter() throws Exception {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(3, "web", TaggedDevices.USER_ID, List.of("tag:web"), null));
    Map<Long, NodeConnectivity> conn =
        Map.of(1L, reach(1, DISCO_1, "192.0.2.1:1"), 3L, reach(3, DISCO_2, "192.0.2.3:1"));
    String policy =
        "{\"tagOwners\":{\"tag:web\":[\"alice@\"]},\"grants\":[{\"src\":[\"alice@\"],"
            + "\"dst\":[\"tag:web\"],\"ip\":[\"tcp:443\"],\"app\":{\"example.com/cap/web\":[{\"role\":\"admin\"}]}}]}";
    MapSnapshot t =
        tailnet(
            nodes, PolicyEngine.compile(policy, TailnetLoader.snapshot(nodes, users, conn)), conn);

    MapResponse full = builder.full(builder.build(3, t, NOW), t, NOW);
    JsonNode filter = TailcfgJson.MAPPER.valueToTree(full).at("/PacketFilter");

    assertThat(filter).hasSize(2);
    assertThat(filter.get(0).path("DstPorts").get(0).path("Ports").path("First").asInt())
        .isEqualTo(443);
    assertThat(filter.get(0).has("CapGrant")).isFalse();
    assertThat(filter.get(1).toString())
        .isEqualTo(
            "{\"SrcIPs\":[\"100.64.0.1\",\"fd7a:115c:a1e0::1\"],"
                + "\"CapGrant\":[{\"Dsts\":[\"100.64.0.3/32\",\"fd7a:115c:a1e0::3/128\"],"
                + "\"CapMap\":{\"example.com/cap/web\":[{\"role\":\"admin\"}]}}]}");

    Path f = dir.resolve("caps.json");
    Files.write(f, TailcfgJson.MAPPER.writeValueAsBytes(full));
    for (String version : List.of("v1.80.3", "v1.102.5")) {
      List<JsonNode> out =
          TsHelper.run(version, List.of("-decode-as", "MapResponse", "-decode-file", f.toString()));
      JsonNode go = TsHelper.event(out, "decoded").at("/value/PacketFilter/1/CapGrant/0");
      assertThat(go.at("/Dsts/0").asText()).isEqualTo("100.64.0.3/32");
      assertThat(go.at("/CapMap/example.com~1cap~1web/0/role").asText()).isEqualTo("admin");
    }
  }

  @Test
  void shouldGiveTheSelfNodeTheCapabilitiesOfItsNodeAttrs() throws Exception {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(3, "web", TaggedDevices.USER_ID, List.of("tag:web"), null));
    Map<Long, NodeConnectivity> conn =
        Map.of(1L, reach(1, DISCO_1, "192.0.2.1:1"), 3L, reach(3, DISCO_2, "192.0.2.3:1"));
    String policy =
        "{\"tagOwners\":{\"tag:web\":[\"alice@\"]},"
            + "\"nodeAttrs\":[{\"target\":[\"tag:web\"],\"attr\":[\"funnel\"],"
            + "\"app\":{\"example.com/cap/conf\":[{\"level\":2}]}}]}";
    MapSnapshot t =
        tailnet(
            nodes, PolicyEngine.compile(policy, TailnetLoader.snapshot(nodes, users, conn)), conn);

    JsonNode web = TailcfgJson.MAPPER.valueToTree(builder.full(builder.build(3, t, NOW), t, NOW));
    JsonNode laptop =
        TailcfgJson.MAPPER.valueToTree(builder.full(builder.build(1, t, NOW), t, NOW));

    JsonNode caps = web.at("/Node/CapMap");
    assertThat(caps.has("funnel")).isTrue();
    assertThat(caps.get("funnel").isNull()).isTrue();
    assertThat(caps.at("/example.com~1cap~1conf/0/level").asInt()).isEqualTo(2);
    assertThat(caps.has(NodeEntries.CAP_ADMIN)).isTrue();
    assertThat(laptop.at("/Node/CapMap").has("funnel")).isFalse();
    // peers do not carry another node's attributes
    assertThat(laptop.at("/Peers/0").has("CapMap")).isFalse();

    Path f = dir.resolve("self.json");
    Files.write(f, TailcfgJson.MAPPER.writeValueAsBytes(web));
    for (String version : List.of("v1.80.3", "v1.102.5")) {
      List<JsonNode> out =
          TsHelper.run(version, List.of("-decode-as", "MapResponse", "-decode-file", f.toString()));
      JsonNode goCaps = TsHelper.event(out, "decoded").at("/value/Node/CapMap");
      assertThat(goCaps.has("funnel")).isTrue();
      assertThat(goCaps.at("/example.com~1cap~1conf/0/level").asInt()).isEqualTo(2);
    }
  }

  @Test
  void shouldSendACompanionCapabilityWithoutValuesAsNull() {
    List<NodeView> nodes =
        List.of(
            node(1, "laptop", 1, List.of(), null),
            node(3, "relay", TaggedDevices.USER_ID, List.of("tag:relay"), null));
    Map<Long, NodeConnectivity> conn =
        Map.of(1L, reach(1, DISCO_1, "192.0.2.1:1"), 3L, reach(3, DISCO_2, "192.0.2.3:1"));
    String policy =
        "{\"tagOwners\":{\"tag:relay\":[\"alice@\"]},\"grants\":[{\"src\":[\"alice@\"],"
            + "\"dst\":[\"tag:relay\"],\"app\":{\"tailscale.com/cap/relay\":[{}]}}]}";
    MapSnapshot t =
        tailnet(
            nodes, PolicyEngine.compile(policy, TailnetLoader.snapshot(nodes, users, conn)), conn);

    JsonNode laptop =
        TailcfgJson.MAPPER.valueToTree(builder.full(builder.build(1, t, NOW), t, NOW));

    assertThat(laptop.at("/PacketFilter").toString())
        .isEqualTo(
            "[{\"SrcIPs\":[\"100.64.0.3\",\"fd7a:115c:a1e0::3\"],"
                + "\"CapGrant\":[{\"Dsts\":[\"100.64.0.1/32\",\"fd7a:115c:a1e0::1/128\"],"
                + "\"CapMap\":{\"tailscale.com/cap/relay-target\":null}}]}]");
  }
}
