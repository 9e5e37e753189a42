// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.DatabaseUnavailableException;
import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.ledgerscale.gateway.tailcfg.DERPMap;
import io.ledgerscale.gateway.tailcfg.FilterRule;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.UserProfile;
import io.undertow.util.Methods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /machine/map over HTTP/2 inside Noise, read by Go's HTTP/2 client and Go's zstd decoder: framing,
 * keep-alives, a long-poll that does not hold up other requests on the same connection, a map
 * larger than HTTP/2's initial flow control window and than many Noise records, and the 1 MiB
 * request limit.
 *
 * <p>The map content comes from {@link GeneratedNetwork}, a network map built in the test: the
 * node-map read model is not part of the gateway, and only the transport is under test here.
 */
class MapStreamingTest {
  static final String NODE_KEY = "nodekey:" + "ab".repeat(32);

  /** The node check as the server answers for a live, unexpired node holding NODE_KEY. */
  static final NodeKeyCheck KNOWN_NODE =
      key ->
          CompletableFuture.completedFuture(
              NODE_KEY.equals(key)
                  ? NodeKeyVerdict.of(
                      new NodeView(
                          1,
                          "mkey:any",
                          NODE_KEY,
                          null,
                          List.of(),
                          "n",
                          "n",
                          1,
                          "u",
                          List.of(),
                          null,
                          null,
                          null,
                          null,
                          "AUTH_KEY",
                          true,
                          false,
                          List.of(),
                          List.of()))
                  : NodeKeyVerdict.unknown());

  @TempDir Path dir;
  private ControlServer server;
  private final MapStreams streams = new MapStreams();
  private final GeneratedNetwork network = new GeneratedNetwork(1500);

  /**
   * A network of {@code peers} peers with random keys (so it compresses poorly and stays large on
   * the wire).
   */
  static final class GeneratedNetwork implements NetworkMapSource {
    private final MapResponse map;
    final List<String> requestedBy = new ArrayList<>();
    final List<MapRequest> liteUpdates = new ArrayList<>();

    /** What building a map fails with, if anything. */
    volatile RuntimeException failure;

    GeneratedNetwork(int peers) {
      SecureRandom random = new SecureRandom();
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < peers; i++) {
        nodes.add(node(i + 2, random));
      }
      DERPMap derp =
          new DERPMap(
              Map.of(
                  "900",
                  new DERPMap.Region(
                      900,
                      "test",
                      "Test",
                      List.of(
                          new DERPMap.DERPNode(
                              "900a",
                              900,
                              "127.0.0.1",
                              "127.0.0.1",
                              "none",
                              -1,
                              3340,
                              null,
                              null)))),
              true);
      map =
          new MapResponse(
              null,
              node(1, random),
              derp,
              nodes,
              null,
              null,
              null,
              null,
              "example.com",
              false,
              FilterRule.ALLOW_ALL,
              List.of(new UserProfile(1, "alice@example.com", "Alice", null)),
              null,
              new MapResponse.Debug(true));
    }

    private static Node node(long id, SecureRandom random) {
      byte[] k = new byte[32];
      random.nextBytes(k);
      String ip = "100.64." + (id / 250) + "." + (id % 250 + 1);
      return new Node(
          id,
          Long.toString(id),
          "n" + id + ".tail.example.com.",
          1,
          "nodekey:" + HexFormat.of().formatHex(k),
          null,
          null,
          "discokey:" + HexFormat.of().formatHex(k),
          List.of(ip + "/32"),
          List.of(ip + "/32"),
          List.of("192.0.2.1:41641"),
          900,
          null,
          null,
          null,
          null,
          null,
          null,
          true,
          true,
          null,
          null);
    }

    @Override
    public synchronized CompletableFuture<Optional<MapResponse>> fullMap(
        String machineKey, MapRequest request) {
      requestedBy.add(machineKey);
      if (failure != null) {
        return CompletableFuture.failedFuture(new CompletionException(failure));
      }
      return CompletableFuture.completedFuture(
          NODE_KEY.equals(request.nodeKey()) ? Optional.of(map) : Optional.empty());
    }

    @Override
    public synchronized CompletableFuture<Boolean> liteUpdate(
        String machineKey, MapRequest request) {
      liteUpdates.add(request);
      return CompletableFuture.completedFuture(NODE_KEY.equals(request.nodeKey()));
    }
  }

  @BeforeEach
  void start() {
    server =
        new ControlServer(
            new MachineRouter()
                .add(
                    Methods.POST,
                    "/machine/map",
                    new MapHandler(network, streams, KNOWN_NODE, Duration.ofMillis(800)))
                .add(Methods.GET, "/machine/whoami", new WhoamiHandler()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String body(String json) throws Exception {
    Path f = Files.createTempFile(dir, "req", ".json");
    Files.writeString(f, json);
    return f.toString();
  }

  private String mapRequest(boolean stream, boolean omitPeers, String nodeKey) {
    return "{\"Version\":113,\"Compress\":\"zstd\",\"KeepAlive\":true,\"NodeKey\":\""
        + nodeKey
        + "\",\"DiscoKey\":\"discokey:"
        + "cd".repeat(32)
        + "\",\"Stream\":"
        + stream
        + ",\"OmitPeers\":"
        + omitPeers
        + ",\"Hostinfo\":{\"Hostname\":\"laptop\",\"OS\":\"linux\"},\"Endpoints\":[\"192.0.2.7:41641\"]}";
  }

  private List<JsonNode> helper(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("-addr", server.address(), "-server-key", server.key.publicKeyText()));
    args.addAll(List.of(extra));
    return TsHelper.run(args);
  }

  @Test
  void shouldStreamAFullMapThenKeepAlivesWithoutBlockingOtherRequests() throws Exception {
    List<JsonNode> out =
        helper(
            "-parallel",
            "-req",
            "POST /machine/map " + body(mapRequest(true, false, NODE_KEY)) + " frames=3",
            "-req",
            "GET /machine/whoami after=0");

    JsonNode map = TsHelper.response(out, 0);
    assertThat(map.path("status").asInt()).isEqualTo(200);
    assertThat(map.path("error").isMissingNode()).as(map.toString()).isTrue();
    JsonNode first = map.path("frames").get(0);
    assertThat(first.path("Node").path("ID").asLong()).isEqualTo(1);
    assertThat(first.path("Peers")).hasSize(1500);
    assertThat(first.path("DERPMap").path("Regions").path("900").path("RegionID").asInt())
        .isEqualTo(900);
    assertThat(first.path("PacketFilter").get(0).path("SrcIPs").get(0).asText()).isEqualTo("*");
    assertThat(map.path("frames").get(1).toString()).isEqualTo("{\"KeepAlive\":true}");
    assertThat(map.path("frames").get(2).toString()).isEqualTo("{\"KeepAlive\":true}");

    // whoami was sent after the first map frame arrived and answered before the first keep-alive
    // (>= 800 ms later)
    JsonNode whoami = TsHelper.response(out, 1);
    assertThat(whoami.path("status").asInt()).isEqualTo(200);
    long firstFrameAt = map.path("frameMs").get(0).asLong();
    long keepAliveAt = map.path("frameMs").get(1).asLong();
    assertThat(keepAliveAt - firstFrameAt).isGreaterThanOrEqualTo(700);
    assertThat(whoami.path("ms").asLong()).isBetween(firstFrameAt, keepAliveAt);
    assertThat(network.requestedBy)
        .containsExactly(TsHelper.event(out, "handshake").path("machineKey").asText());
  }

  @Test
  void shouldPassALiteUpdateOnAndAnswerWithAnEmpty200() throws Exception {
    JsonNode r =
        TsHelper.response(
            helper("-req", "POST /machine/map " + body(mapRequest(false, true, NODE_KEY))), 0);
    assertThat(r.path("status").asInt()).isEqualTo(200);
    assertThat(r.path("body").asText()).isEmpty();
    assertThat(network.liteUpdates)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.endpoints()).containsExactly("192.0.2.7:41641");
              assertThat(u.discoKey()).isEqualTo("discokey:" + "cd".repeat(32));
              assertThat(u.hostinfo().path("Hostname").asText()).isEqualTo("laptop");
            });
    assertThat(network.requestedBy).isEmpty();
  }

  @Test
  void cannotSendALiteUpdateForAnUnknownNode() throws Exception {
    String other = "nodekey:" + "11".repeat(32);
    JsonNode r =
        TsHelper.response(
            helper("-req", "POST /machine/map " + body(mapRequest(false, true, other))), 0);
    assertThat(r.path("status").asInt()).isEqualTo(404);
  }

  @Test
  void shouldAnswerANonStreamingRequestWithOneFrameAndEnd() throws Exception {
    JsonNode r =
        TsHelper.response(
            helper(
                "-req",
                "POST /machine/map " + body(mapRequest(false, false, NODE_KEY)) + " frames=1"),
            0);
    assertThat(r.path("frames").get(0).path("Node").path("ID").asLong()).isEqualTo(1);
  }

  @Test
  void shouldAskTheClientToComeBackWhenTheDatabaseHasNoCapacityForItsMap() throws Exception {
    network.failure = new DatabaseUnavailableException();
    for (boolean stream : new boolean[] {true, false}) {
      JsonNode r =
          TsHelper.response(
              helper("-req", "POST /machine/map " + body(mapRequest(stream, false, NODE_KEY))), 0);
      assertThat(r.path("status").asInt()).as("stream " + stream).isEqualTo(503);
    }
    network.failure = new IllegalStateException("a bug");
    JsonNode r =
        TsHelper.response(
            helper("-req", "POST /machine/map " + body(mapRequest(false, false, NODE_KEY))), 0);
    assertThat(r.path("status").asInt()).isEqualTo(500);
  }

  @Test
  void cannotMapAnUnknownNodeAndNeverAnswersWithAnEmpty200() throws Exception {
    String other = KeyText.format(KeyText.NODE_PUBLIC, new byte[32]).replace("00", "11");
    JsonNode r =
        TsHelper.response(
            helper("-req", "POST /machine/map " + body(mapRequest(true, false, other))), 0);
    assertThat(r.path("status").asInt()).isEqualTo(404);
  }

  @Test
  void cannotMapWithMalformedOrTooOldRequests() throws Exception {
    List<JsonNode> out =
        helper(
            "-req", "POST /machine/map " + body("{not json"),
            "-req",
                "POST /machine/map "
                    + body(mapRequest(true, false, NODE_KEY).replace("113", "112")),
            "-req", "POST /machine/map " + body(mapRequest(true, false, "nodekey:zz")),
            "-req",
                "POST /machine/map "
                    + body(mapRequest(true, false, NODE_KEY).replace("zstd", "gzip")));
    for (int i = 0; i < 4; i++) {
      assertThat(TsHelper.response(out, i).path("status").asInt()).isEqualTo(400);
    }
    assertThat(network.requestedBy).isEmpty();
  }

  @Test
  void cannotSendARequestBodyOverOneMebibyte() throws Exception {
    String padded =
        mapRequest(true, false, NODE_KEY)
            .replace(
                "\"Endpoints\"", "\"Padding\":\"" + "x".repeat(1024 * 1024) + "\",\"Endpoints\"");
    List<JsonNode> out =
        helper("-req", "POST /machine/map " + body(padded), "-req", "GET /machine/whoami");
    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(413);
    assertThat(network.requestedBy).isEmpty();
  }

  @Test
  void shouldForgetAStreamTheClientCancelled() throws Exception {
    helper("-req", "POST /machine/map " + body(mapRequest(true, false, NODE_KEY)) + " frames=1");
    long deadline = System.currentTimeMillis() + 3000;
    while (streams.size() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(streams.size()).isZero();
  }

  @Test
  void shouldReplaceTheStreamOfANodeThatOpensANewOne() throws Exception {
    String req = "POST /machine/map " + body(mapRequest(true, false, NODE_KEY));
    CompletableFuture<List<JsonNode>> older =
        CompletableFuture.supplyAsync(() -> helper("-req", req + " frames=6"));
    long deadline = System.currentTimeMillis() + 5000;
    while (streams.size() == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    MapSink first = streams.of(NODE_KEY).orElseThrow();
    List<JsonNode> newer = helper("-req", req + " frames=1");
    assertThat(TsHelper.response(newer, 0).path("frames")).hasSize(1);

    JsonNode old = TsHelper.response(older.get(), 0);
    assertThat(old.path("frames").size()).as(old.toString()).isLessThan(6);
    assertThat(old.path("error").asText()).isNotEmpty();
    assertThat(streams.of(NODE_KEY)).isNotEqualTo(Optional.of(first));
  }

  /**
   * A stream the server ends (here: replaced by the node's next one) must end as HTTP/2 ends a
   * stream. Closed without that, its exchange stayed in memory until the connection closed, and
   * after about 200 such ends within 30 s Undertow answered the connection with GOAWAY: poll 202
   * failed.
   */
  @Test
  void shouldFreeTheHttp2StreamOfEveryStreamTheServerEnded() throws Exception {
    try (ControlServer small =
        new ControlServer(
            server.key,
            new MachineRouter()
                .add(
                    Methods.POST,
                    "/machine/map",
                    new MapHandler(
                        new GeneratedNetwork(2),
                        new MapStreams(),
                        KNOWN_NODE,
                        Duration.ofSeconds(2)))
                .add(Methods.GET, "/machine/whoami", new WhoamiHandler()))) {
      String req = "POST /machine/map " + body(mapRequest(true, false, NODE_KEY));
      List<String> args =
          new ArrayList<>(
              List.of("-addr", small.address(), "-server-key", small.key.publicKeyText()));
      args.add("-parallel");
      int polls = 300;
      for (int i = 0; i < polls; i++) {
        // each poll starts once the one before has its first message, and so replaces it
        args.addAll(List.of("-req", req + " frames=2" + (i == 0 ? "" : " after=" + (i - 1))));
      }
      args.add("-req");
      args.add("GET /machine/whoami after=" + (polls - 1));
      List<JsonNode> out = TsHelper.run(args);
      for (int i = 0; i < polls; i++) {
        JsonNode r = TsHelper.response(out, i);
        assertThat(r.path("status").asInt()).as("poll %d: %s", i, r).isEqualTo(200);
        assertThat(r.path("frames")).as("poll %d: %s", i, r).isNotEmpty();
      }
      assertThat(TsHelper.response(out, polls).path("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void shouldKeepAMapStreamAliveBeyondTheConnectionIdleTimeout() throws Exception {
    try (ControlServer quick =
        new ControlServer(
            server.key,
            new MachineRouter()
                .add(
                    Methods.POST,
                    "/machine/map",
                    new MapHandler(network, new MapStreams(), KNOWN_NODE, Duration.ofMillis(200))),
            Duration.ofMillis(600))) {
      List<JsonNode> out =
          TsHelper.run(
              List.of(
                  "-addr",
                  quick.address(),
                  "-server-key",
                  quick.key.publicKeyText(),
                  "-req",
                  "POST /machine/map " + body(mapRequest(true, false, NODE_KEY)) + " frames=8"));
      JsonNode r = TsHelper.response(out, 0);
      assertThat(r.path("frames")).as(r.toString()).hasSize(8);
      assertThat(r.path("frameMs").get(7).asLong() - r.path("frameMs").get(0).asLong())
          .isGreaterThan(1000);
    }
  }

  @Test
  void canReceiveARequestBodyJustUnderTheLimitAcrossManyRecords() throws Exception {
    String padded =
        mapRequest(false, false, NODE_KEY)
            .replace(
                "\"Endpoints\"", "\"Padding\":\"" + "x".repeat(1000 * 1024) + "\",\"Endpoints\"");
    JsonNode r =
        TsHelper.response(helper("-req", "POST /machine/map " + body(padded) + " frames=1"), 0);
    assertThat(r.path("status").asInt()).isEqualTo(200);
    assertThat(r.path("frames").get(0).path("Node").path("ID").asLong()).isEqualTo(1);
  }
}
