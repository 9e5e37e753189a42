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
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RenameNodeCommand;
import io.ledgerscale.domain.api.node.SetNodeTagsCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.map.MapHousekeeping;
import io.ledgerscale.gateway.map.NetworkMapEvents;
import io.ledgerscale.server.LedgerscaleApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Two nodes register with a pre-auth key through the real gateway (Noise + HTTP/2, by Tailscale's
 * own client code in tshelper), open map streams, and receive an admin rename, a tag change and a
 * peer's lite update as deltas.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ledgerscale.config=" + NetworkMapIT.CONFIG,
      "logging.level.io.ledgerscale.gateway.map=DEBUG"
    })
class NetworkMapIT {
  static final String DIR = "target/it-map";
  static final String CONFIG = DIR + "/config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    writeConfig(
        DIR,
        """
          dns:
            magic_dns: true
            base_domain: tail.example.com
            nameservers:
              global: [1.1.1.1]
          """);
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired ServerMachineKey serverKey;
  @Autowired MapStreams streams;
  @Autowired ConnectivityStore connectivity;

  @Autowired(required = false)
  MeterRegistry meters;

  @Autowired EventProcessingConfiguration processing;
  @Autowired MapHousekeeping housekeeping;

  @Test
  void shouldReadMapEventsFromTheSharedEventStoreWithATokenKeptInMemory() {
    // a subscribing processor would only see this instance's commands; a shared token would split
    // the events
    // between instances: each instance streams the whole store from the head on its own
    assertThat(processing.eventProcessor(NetworkMapEvents.GROUP))
        .get()
        .isInstanceOf(StreamingEventProcessor.class);
    assertThat(processing.tokenStore(NetworkMapEvents.GROUP))
        .isInstanceOf(InMemoryTokenStore.class);
    assertThat(processing.tokenStore("nodes")).isNotInstanceOf(InMemoryTokenStore.class);
  }

  @Test
  void cannotGetTheMapOfANodeFromAnotherMachine() throws Exception {
    long mallory = createUser(commands, queries, "mallory", null, null);
    IssuedPreAuthKey key =
        commands.sendAndWait(
            new CreatePreAuthKeyCommand(mallory, false, false, null, List.of()), ADMIN);
    Client victim = client("victim");
    register(victim, key.key());
    Client thief = new Client(key("privkey:"), victim.nodeKey(), key("discokey:"), "thief");

    JsonNode r =
        TsHelperProcess.response(
            TsHelperProcess.startAs(
                    port,
                    serverKey.publicKeyText(),
                    thief.machinePrivate(),
                    "-req",
                    "POST /machine/map "
                        + file("thief", mapRequest(thief, List.of("203.0.113.9:1"), false)))
                .get(60, TimeUnit.SECONDS),
            0);

    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(404);
    assertThat(connectivity.all().values()).noneMatch(c -> c.endpoints().contains("203.0.113.9:1"));
  }

  @Test
  void shouldDeleteAnEphemeralNodeOfflineLongerThanTheTimeoutAsTheScheduler() {
    long eve = createUser(commands, queries, "eve", null, null);
    IssuedPreAuthKey ephemeral =
        commands.sendAndWait(new CreatePreAuthKeyCommand(eve, true, true, null, List.of()), ADMIN);
    MetaData asNode =
        AuditMetadata.of(new Actor(ActorType.NODE, "tmp", "tmp"), Origin.NODE, "127.0.0.1", null);
    long gone =
        commands
            .<NodeRegistration>sendAndWait(
                new RegisterNodeWithPreAuthKeyCommand(
                    key("mkey:"), key("nodekey:"), "gone", List.of(), ephemeral.key(), null),
                asNode)
            .nodeId();
    long recent =
        commands
            .<NodeRegistration>sendAndWait(
                new RegisterNodeWithPreAuthKeyCommand(
                    key("mkey:"), key("nodekey:"), "recent", List.of(), ephemeral.key(), null),
                asNode)
            .nodeId();
    awaitTrue(() -> queries.query(new FindNodeQuery(recent), NodeView.class).join() != null);
    Instant now = Instant.now();
    connectivity.setOnline(gone, false, "elsewhere", now.minus(Duration.ofMinutes(31)));
    connectivity.setOnline(recent, false, "elsewhere", now.minus(Duration.ofMinutes(29)));

    assertThat(housekeeping.deleteInactiveEphemeralNodes()).isEqualTo(1);

    awaitTrue(() -> queries.query(new FindNodeQuery(gone), NodeView.class).join() == null);
    assertThat(queries.query(new FindNodeQuery(recent), NodeView.class).join()).isNotNull();
  }

  record Client(String machinePrivate, String nodeKey, String discoKey, String hostname) {}

  @Test
  void shouldServeCompleteMapsAndPushAdminChangesAndLiteUpdatesAsDeltas() throws Exception {
    long alice = createUser(commands, queries, "alice", "Alice", "alice@example.com");
    commands.sendAndWait(new SetPolicyCommand("{\"tagOwners\": {\"tag:server\": []}}"), ADMIN);
    IssuedPreAuthKey key =
        commands.sendAndWait(
            new CreatePreAuthKeyCommand(alice, true, false, null, List.of()), ADMIN);

    Client alpha = client("alpha");
    Client beta = client("beta");
    long alphaId = register(alpha, key.key());
    long betaId = register(beta, key.key());

    CompletableFuture<List<JsonNode>> betaRun = stream(beta, List.of("192.0.2.2:41641"), 16);
    awaitTrue(() -> connectivity.find(betaId).map(c -> c.discoKey() != null).orElse(false));
    long alphaStart = System.nanoTime();
    CompletableFuture<List<JsonNode>> alphaRun = stream(alpha, List.of("192.0.2.1:41641"), 12);
    awaitTrue(
        () -> streams.of(alpha.nodeKey()).isPresent() && streams.of(beta.nodeKey()).isPresent());
    Thread.sleep(500);

    long renameAt = System.nanoTime();
    commands.sendAndWait(new RenameNodeCommand(betaId, "beta-renamed"), ADMIN);
    Thread.sleep(2500);
    long tagAt = System.nanoTime();
    commands.sendAndWait(new SetNodeTagsCommand(betaId, List.of("tag:server")), ADMIN);
    Thread.sleep(2500);
    long liteAt = System.nanoTime();
    JsonNode lite =
        TsHelperProcess.response(
            TsHelperProcess.startAs(
                    port,
                    serverKey.publicKeyText(),
                    beta.machinePrivate(),
                    "-req",
                    "POST /machine/map "
                        + file("lite", mapRequest(beta, List.of("198.51.100.7:41641"), false)))
                .get(60, TimeUnit.SECONDS),
            0);
    assertThat(lite.path("status").asInt()).as(lite.toString()).isEqualTo(200);

    JsonNode alphaMap = TsHelperProcess.response(alphaRun.get(60, TimeUnit.SECONDS), 0);
    JsonNode betaMap = TsHelperProcess.response(betaRun.get(60, TimeUnit.SECONDS), 0);
    assertThat(alphaMap.path("status").asInt()).as(alphaMap.toString()).isEqualTo(200);
    List<JsonNode> frames = TsHelperProcess.frames(alphaMap);

    JsonNode first = frames.get(0);
    assertThat(first.at("/Node/Name").asText()).isEqualTo("alpha.tail.example.com.");
    assertThat(first.at("/Node/ID").asLong()).isEqualTo(alphaId);
    assertThat(first.at("/Node/MachineAuthorized").asBoolean()).isTrue();
    assertThat(first.at("/Node/Addresses").size()).isEqualTo(2);
    assertThat(first.at("/Peers/0/Name").asText()).isEqualTo("beta.tail.example.com.");
    assertThat(first.at("/Peers/0/DiscoKey").asText()).isEqualTo(beta.discoKey());
    assertThat(first.at("/Peers/0/Endpoints/0").asText()).isEqualTo("192.0.2.2:41641");
    assertThat(first.at("/Peers/0/HomeDERP").asInt()).isEqualTo(900);
    assertThat(first.at("/DERPMap/Regions/900/Nodes/0/HostName").asText()).isEqualTo("127.0.0.1");
    assertThat(first.at("/DNSConfig/Proxied").asBoolean()).isTrue();
    assertThat(first.at("/DNSConfig/Domains/0").asText()).isEqualTo("tail.example.com");
    // a policy with neither acls nor grants allows the tailnet's own ranges, as Tailscale's does
    assertThat(first.at("/PacketFilter/0/SrcIPs").toString())
        .contains("\"100.64.0.0-100.115.91.255\"", "\"fd7a:115c:a1e0::/48\"")
        .doesNotContain("\"*\"");
    assertThat(first.at("/UserProfiles/0/LoginName").asText()).isEqualTo("alice@example.com");

    long launchMs = TimeUnit.NANOSECONDS.toMillis(alphaStart);
    int renamed =
        index(
            frames,
            f -> f.path("PeersChanged").toString().contains("beta-renamed.tail.example.com."));
    int tagged = index(frames, f -> f.path("PeersChanged").toString().contains("tag:server"));
    int patched =
        index(frames, f -> f.path("PeersChangedPatch").toString().contains("198.51.100.7:41641"));
    long renameDelay =
        launchMs
            + alphaMap.path("frameMs").get(renamed).asLong()
            - TimeUnit.NANOSECONDS.toMillis(renameAt);
    long tagDelay =
        launchMs
            + alphaMap.path("frameMs").get(tagged).asLong()
            - TimeUnit.NANOSECONDS.toMillis(tagAt);
    long liteDelay =
        launchMs
            + alphaMap.path("frameMs").get(patched).asLong()
            - TimeUnit.NANOSECONDS.toMillis(liteAt);
    System.out.printf(
        "map deltas on the peer's stream: rename %d ms, tags %d ms, lite update %d ms"
            + " (after the command / the lite-update run started)%n",
        renameDelay, tagDelay, liteDelay);
    if (meters != null) {
      Timer t = meters.find("ledgerscale.map.change.delay").timer();
      if (t != null) {
        System.out.printf(
            "server timer ledgerscale.map.change.delay: count %d, max %.1f ms, mean %.1f ms%n",
            t.count(), t.max(TimeUnit.MILLISECONDS), t.mean(TimeUnit.MILLISECONDS));
      }
    }
    assertThat(renameDelay).isLessThan(2000);
    assertThat(tagDelay).isLessThan(2000);
    assertThat(frames.get(tagged).path("UserProfiles").toString()).contains("tagged-devices");

    List<JsonNode> betaFrames = TsHelperProcess.frames(betaMap);
    assertThat(betaFrames.get(0).at("/Node/Name").asText()).isEqualTo("beta.tail.example.com.");
    assertThat(
            index(
                betaFrames,
                f -> f.at("/Node/Name").asText().equals("beta-renamed.tail.example.com.")))
        .isPositive();
    NodeView betaView = queries.query(new FindNodeQuery(betaId), NodeView.class).join();
    assertThat(betaView.tags()).containsExactly("tag:server");
  }

  private static int index(List<JsonNode> frames, Predicate<JsonNode> test) {
    for (int i = 0; i < frames.size(); i++) {
      if (test.test(frames.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such frame in " + frames);
  }

  private static Client client(String hostname) {
    return new Client(key("privkey:"), key("nodekey:"), key("discokey:"), hostname);
  }

  private long register(Client c, String authKey) throws Exception {
    Map<String, Object> req =
        Map.of(
            "Version",
            113,
            "NodeKey",
            c.nodeKey(),
            "Auth",
            Map.of("AuthKey", authKey),
            "Hostinfo",
            Map.of("Hostname", c.hostname(), "OS", "linux"),
            "Expiry",
            "0001-01-01T00:00:00Z");
    List<JsonNode> out =
        TsHelperProcess.startAs(
                port,
                serverKey.publicKeyText(),
                c.machinePrivate(),
                "-req",
                "POST /machine/register " + file("register-" + c.hostname(), req))
            .get(60, TimeUnit.SECONDS);
    JsonNode r = TsHelperProcess.response(out, 0);
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200);
    assertThat(JSON.readTree(r.path("body").asText()).path("MachineAuthorized").asBoolean())
        .as(r.toString())
        .isTrue();
    return await(
            () ->
                queries
                    .query(
                        new io.ledgerscale.domain.api.query.FetchNodesQuery(null),
                        ResponseTypes.multipleInstancesOf(NodeView.class))
                    .join()
                    .stream()
                    .filter(n -> n.nodeKey().equals(c.nodeKey()))
                    .toList(),
            l -> !l.isEmpty())
        .get(0)
        .id();
  }

  private CompletableFuture<List<JsonNode>> stream(Client c, List<String> endpoints, int seconds)
      throws IOException {
    return TsHelperProcess.startAs(
        port,
        serverKey.publicKeyText(),
        c.machinePrivate(),
        "-timeout",
        seconds + "s",
        "-req",
        "POST /machine/map "
            + file("map-" + c.hostname(), mapRequest(c, endpoints, true))
            + " frames=50");
  }

  private static Map<String, Object> mapRequest(Client c, List<String> endpoints, boolean stream) {
    return Map.of(
        "Version",
        113,
        "Compress",
        "zstd",
        "KeepAlive",
        true,
        "NodeKey",
        c.nodeKey(),
        "DiscoKey",
        c.discoKey(),
        "Stream",
        stream,
        "OmitPeers",
        !stream,
        "Endpoints",
        endpoints,
        "Hostinfo",
        Map.of("Hostname", c.hostname(), "OS", "linux", "NetInfo", Map.of("PreferredDERP", 900)));
  }

  private static String file(String name, Object body) throws IOException {
    Path f = Path.of(DIR, name + "-" + RANDOM.nextInt(1_000_000) + ".json").toAbsolutePath();
    Files.write(f, JSON.writeValueAsBytes(body));
    return f.toString();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    await(condition::getAsBoolean, b -> b);
  }
}
