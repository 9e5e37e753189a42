// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.map;

import static io.ledgerscale.it.map.InProcessServer.ADMIN;
import static io.ledgerscale.it.map.InProcessServer.await;
import static io.ledgerscale.it.map.InProcessServer.createUser;
import static io.ledgerscale.it.map.InProcessServer.key;
import static io.ledgerscale.it.map.InProcessServer.writeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A node's register and map requests are let in on the node's own events, not on the nodes read
 * model or the map's copy of it: with that read model stopped (as a poison event or a crash would
 * leave it), a deleted node is not authorized again and gets no map, an expired one is told so and
 * gets no map, and a node the server cannot place yet is told to retry rather than served or
 * forgotten. Real clients: Go's control client code over Noise (tshelper).
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + FailClosedNodeIT.CONFIG)
class FailClosedNodeIT {
  static final String DIR = "target/it-fail-closed-nodes";
  static final String CONFIG = DIR + "/config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    writeConfig(DIR, "");
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired ServerMachineKey serverKey;
  @Autowired EventProcessingConfiguration processing;
  @Autowired MapStreams streams;

  record Client(String machinePrivate, String nodeKey, String discoKey, String hostname) {}

  @Test
  void shouldNotLetADeletedNodeBackInWhileTheNodesReadModelIsStopped() throws Exception {
    Client laptop = client("deleted");
    long id = register(laptop, preAuthKey("dora"));
    assertThat(map(laptop).path("status").asInt()).isEqualTo(200);

    withNodesStopped(
        () -> {
          commands.sendAndWait(new DeleteNodeCommand(id), ADMIN);

          JsonNode again = registerWithoutKey(laptop);
          assertThat(again.path("MachineAuthorized").asBoolean()).as(again.toString()).isFalse();
          assertThat(again.path("AuthURL").asText()).as(again.toString()).contains("/register/");

          JsonNode map = map(laptop);
          assertThat(map.path("status").asInt()).as(map.toString()).isEqualTo(404);
        });
  }

  @Test
  void shouldEndTheMapStreamOfADeletedNodeWhileTheNodesReadModelIsStopped() throws Exception {
    Client laptop = client("streaming");
    long id = register(laptop, preAuthKey("sam"));
    CompletableFuture<List<JsonNode>> stream = openStream(laptop);

    withNodesStopped(
        () -> {
          commands.sendAndWait(new DeleteNodeCommand(id), ADMIN);

          // bounded well below the client's own 90 s: the server ends it, not the client
          await(() -> streams.of(laptop.nodeKey()).isEmpty(), ended -> ended);
          assertThat(stream.get(60, TimeUnit.SECONDS)).isNotEmpty();
        });
  }

  @Test
  void shouldTellAnExpiredNodeSoWhileTheNodesReadModelIsStopped() throws Exception {
    Client laptop = client("expired");
    long id = register(laptop, preAuthKey("erin"));

    withNodesStopped(
        () -> {
          commands.sendAndWait(new ExpireNodeCommand(id, null, false), ADMIN);

          JsonNode again = registerWithoutKey(laptop);
          assertThat(again.path("MachineAuthorized").asBoolean()).as(again.toString()).isFalse();
          assertThat(again.path("NodeKeyExpired").asBoolean()).as(again.toString()).isTrue();

          JsonNode map = map(laptop);
          assertThat(map.path("status").asInt()).as(map.toString()).isEqualTo(503);
        });
  }

  @Test
  void shouldAskANodeItCannotPlaceYetToRetryAndServeItOnceItCan() throws Exception {
    Client laptop = client("newcomer");
    String authKey = preAuthKey("nina");

    withNodesStopped(
        () -> {
          JsonNode registered = registerWith(laptop, authKey);
          assertThat(registered.path("MachineAuthorized").asBoolean())
              .as(registered.toString())
              .isTrue();

          JsonNode map = map(laptop);
          assertThat(map.path("status").asInt()).as(map.toString()).isEqualTo(503);
          assertThat(map.path("body").asText()).contains("retry");
        });

    await(() -> uncheckedMap(laptop).path("status").asInt(), status -> status == 200);
  }

  private interface Body {
    void run() throws Exception;
  }

  private void withNodesStopped(Body body) throws Exception {
    StreamingEventProcessor nodes =
        processing.eventProcessor("nodes", StreamingEventProcessor.class).orElseThrow();
    nodes.shutDown();
    try {
      body.run();
    } finally {
      nodes.start();
    }
  }

  private String preAuthKey(String user) {
    long owner = createUser(commands, queries, user, null, null);
    IssuedPreAuthKey key =
        commands.sendAndWait(
            new CreatePreAuthKeyCommand(owner, true, false, null, List.of()), ADMIN);
    return key.key();
  }

  private static Client client(String hostname) {
    return new Client(key("privkey:"), key("nodekey:"), key("discokey:"), hostname);
  }

  /** Registers with a pre-auth key and returns the node's id once the read model has it. */
  private long register(Client c, String authKey) throws Exception {
    JsonNode answer = registerWith(c, authKey);
    assertThat(answer.path("MachineAuthorized").asBoolean()).as(answer.toString()).isTrue();
    return await(
            () ->
                queries
                    .query(
                        new FetchNodesQuery(null),
                        ResponseTypes.multipleInstancesOf(NodeView.class))
                    .join()
                    .stream()
                    .filter(n -> n.nodeKey().equals(c.nodeKey()))
                    .toList(),
            l -> !l.isEmpty())
        .get(0)
        .id();
  }

  private JsonNode registerWith(Client c, String authKey) throws Exception {
    return registerRequest(c, Map.of("AuthKey", authKey));
  }

  /** What tailscaled sends after a restart: its node key and no credentials. */
  private JsonNode registerWithoutKey(Client c) throws Exception {
    return registerRequest(c, null);
  }

  private JsonNode registerRequest(Client c, Map<String, Object> auth) throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", c.nodeKey());
    if (auth != null) {
      req.put("Auth", auth);
    }
    req.put("Hostinfo", Map.of("Hostname", c.hostname(), "OS", "linux"));
    req.put("Expiry", "0001-01-01T00:00:00Z");
    JsonNode r =
        TsHelperProcess.response(
            TsHelperProcess.startAs(
                    port,
                    serverKey.publicKeyText(),
                    c.machinePrivate(),
                    "-req",
                    "POST /machine/register " + file("register-" + c.hostname(), req))
                .get(60, TimeUnit.SECONDS),
            0);
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200);
    return JSON.readTree(r.path("body").asText());
  }

  /** One full map (no stream): the response line with its status and body. */
  private JsonNode map(Client c) throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", c.nodeKey());
    req.put("DiscoKey", c.discoKey());
    req.put("Stream", false);
    req.put("OmitPeers", false);
    req.put("Hostinfo", Map.of("Hostname", c.hostname(), "OS", "linux"));
    return TsHelperProcess.response(
        TsHelperProcess.startAs(
                port,
                serverKey.publicKeyText(),
                c.machinePrivate(),
                "-req",
                "POST /machine/map " + file("map-" + c.hostname(), req))
            .get(60, TimeUnit.SECONDS),
        0);
  }

  /**
   * A map stream, once the server has registered it. A client whose stream ends before it opened (a
   * loaded machine) connects again, as tailscaled does.
   */
  private CompletableFuture<List<JsonNode>> openStream(Client c) throws IOException {
    for (int attempt = 1; ; attempt++) {
      CompletableFuture<List<JsonNode>> stream = stream(c);
      boolean open =
          await(() -> streams.of(c.nodeKey()).isPresent() || stream.isDone(), settled -> settled)
              && streams.of(c.nodeKey()).isPresent();
      if (open) {
        return stream;
      }
      assertThat(attempt).as("the stream ended before it opened: %s", stream.join()).isLessThan(3);
    }
  }

  /** A map stream held open by the client for up to 90 s. */
  private CompletableFuture<List<JsonNode>> stream(Client c) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", c.nodeKey());
    req.put("DiscoKey", c.discoKey());
    req.put("Stream", true);
    req.put("KeepAlive", true);
    // as every tailscaled asks: the helper reads zstd frames, and ends a plain one at once
    req.put("Compress", "zstd");
    req.put("Hostinfo", Map.of("Hostname", c.hostname(), "OS", "linux"));
    return TsHelperProcess.startAs(
        port,
        serverKey.publicKeyText(),
        c.machinePrivate(),
        "-timeout",
        "90s",
        "-req",
        "POST /machine/map " + file("stream-" + c.hostname(), req) + " frames=50");
  }

  private JsonNode uncheckedMap(Client c) {
    try {
      return map(c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String file(String name, Object body) throws IOException {
    Path f = Path.of(DIR, name + "-" + RANDOM.nextInt(1_000_000) + ".json").toAbsolutePath();
    Files.write(f, JSON.writeValueAsBytes(body));
    return f.toString();
  }
}
