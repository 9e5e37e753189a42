// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.luben.zstd.Zstd;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.gateway.tailcfg.Node;
import io.ledgerscale.gateway.tailcfg.SharedNodes;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A map whose peers go out as several zstd frames (runs of shared peer entries compressed once),
 * read over Noise and HTTP/2 by Go's client and decoded by the zstd decoder of the oldest and the
 * newest supported release, exactly as tailscaled decodes it.
 */
class MapFramesGoDecodeTest {
  private static final String NODE_KEY = MapStreamingTest.NODE_KEY;
  private static final NodeKeyCheck KNOWN_NODE = MapStreamingTest.KNOWN_NODE;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"v1.80.3", "v1.102.5"})
  void aMapOfManyFramesIsDecodedByTheClientAsOneMessage(String version) throws Exception {
    MapResponse map = mapWithSharedPeers(300);
    // written once, so the next encoding reuses the runs of peers as frames of their own
    MapFrames.encode(map, true);
    assertThat(frameCount(MapFrames.encode(map, true))).isGreaterThan(3);
    NetworkMapSource source =
        (machineKey, request) -> CompletableFuture.completedFuture(Optional.of(map));
    Path body = Files.createTempFile(dir, "req", ".json");
    Files.writeString(
        body,
        "{\"Version\":113,\"Compress\":\"zstd\",\"KeepAlive\":true,\"NodeKey\":\""
            + NODE_KEY
            + "\",\"Stream\":false,\"OmitPeers\":false,\"ReadOnly\":true}");

    try (ControlServer server =
        new ControlServer(
            new MachineRouter()
                .add(
                    Methods.POST,
                    "/machine/map",
                    new MapHandler(
                        source, new MapStreams(), KNOWN_NODE, Duration.ofSeconds(50))))) {
      JsonNode r =
          TsHelper.response(
              TsHelper.run(
                  version,
                  List.of(
                      "-addr",
                      server.address(),
                      "-server-key",
                      server.key.publicKeyText(),
                      "-req",
                      "POST /machine/map " + body + " frames=1")),
              0);

      JsonNode decoded = r.path("frames").get(0);
      assertThat(decoded.path("Peers")).hasSize(300);
      assertThat(decoded)
          .isEqualTo(TailcfgJson.MAPPER.readTree(TailcfgJson.MAPPER.writeValueAsBytes(map)));
    }
  }

  private static int frameCount(ByteBuffer frame) {
    byte[] payload = new byte[frame.remaining() - 4];
    frame.duplicate().position(4).get(payload);
    int n = 0;
    for (int at = 0; at < payload.length; n++) {
      at += Math.toIntExact(Zstd.findFrameCompressedSize(payload, at));
    }
    return n;
  }

  private static MapResponse mapWithSharedPeers(int count) {
    SecureRandom random = new SecureRandom();
    List<Node> peers = new ArrayList<>();
    for (int i = 2; i < count + 2; i++) {
      byte[] k = new byte[32];
      random.nextBytes(k);
      String ip = "100.64." + (i / 250) + "." + (i % 250 + 1);
      Node base =
          new Node(
              i,
              Integer.toString(i),
              "n" + i + ".tail.example.com.",
              1,
              "nodekey:" + HexFormat.of().formatHex(k),
              null,
              null,
              "discokey:" + HexFormat.of().formatHex(k),
              List.of(ip + "/32"),
              List.of(ip + "/32"),
              List.of("192.0.2.1:41641"),
              900,
              JsonNodeFactory.instance.objectNode().put("Hostname", "n" + i).put("OS", "linux"),
              null,
              null,
              null,
              null,
              null,
              true,
              true,
              null,
              null);
      peers.add(SharedNodes.withPresence(base, null, true, java.time.Instant::toString));
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
