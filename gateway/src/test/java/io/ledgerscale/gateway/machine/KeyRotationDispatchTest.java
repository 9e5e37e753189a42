// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RotateNodeKeyCommand;
import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.VerifyNodeKeyQuery;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.undertow.util.Methods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pre-auth key registration carrying an OldNodeKey, from Go's client inside Noise: what the
 * gateway makes of it given the node table (served by a query handler on a real Axon query bus).
 * The command bus has no handlers (they are in the domain module), so a dispatched command is
 * answered with a retryable 500.
 */
class KeyRotationDispatchTest {
  private static final String OLD_KEY = "nodekey:" + "a1".repeat(32);
  private static final String NEW_KEY = "nodekey:" + "b2".repeat(32);
  private static final byte[] MACHINE_PRIVATE =
      Curve25519.clamp(HexFormat.of().parseHex("22".repeat(32)));
  private static final String MACHINE_KEY =
      KeyText.format(KeyText.MACHINE_PUBLIC, Curve25519.publicKey(MACHINE_PRIVATE));
  private static final String OTHER_MACHINE = "mkey:" + "cd".repeat(32);

  @TempDir Path dir;
  private final List<CommandMessage<?>> dispatched = new CopyOnWriteArrayList<>();
  private volatile List<NodeView> nodes = List.of();
  private ControlServer server;

  @BeforeEach
  void start() {
    SimpleCommandBus bus = SimpleCommandBus.builder().build();
    bus.registerDispatchInterceptor(
        messages ->
            (i, m) -> {
              dispatched.add(m);
              return m;
            });
    SimpleQueryBus queries = SimpleQueryBus.builder().build();
    // answered the way the server answers it: the live node holding the key, or none
    queries.subscribe(
        VerifyNodeKeyQuery.class.getName(),
        NodeKeyVerdict.class,
        q -> {
          String key = ((VerifyNodeKeyQuery) q.getPayload()).nodeKey();
          return NodeKeyVerdict.of(
              nodes.stream()
                  .filter(n -> n.nodeKey().equalsIgnoreCase(key))
                  .findFirst()
                  .orElse(null));
        });
    RegisterHandler register =
        new RegisterHandler(
            DefaultCommandGateway.builder().commandBus(bus).build(),
            DefaultQueryGateway.builder().queryBus(queries).build(),
            ServerUrl.parse("http://127.0.0.1:8080/"),
            Clock.systemUTC());
    server =
        new ControlServer(new MachineRouter().add(Methods.POST, "/machine/register", register));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static NodeView node(String machineKey, String nodeKey, Instant expiry) {
    return new NodeView(
        4,
        machineKey,
        nodeKey,
        null,
        List.of("100.64.0.4", "fd7a:115c:a1e0::4"),
        "laptop",
        "laptop",
        1,
        "alice",
        List.of(),
        null,
        expiry,
        2L,
        Instant.parse("2026-01-01T00:00:00Z"),
        "AUTH_KEY",
        true,
        false,
        List.of(),
        List.of());
  }

  private JsonNode register(String oldNodeKey) throws Exception {
    return send(oldNodeKey, "0001-01-01T00:00:00Z", "{\"AuthKey\":\"lskey-auth-abc-def\"}");
  }

  private JsonNode send(String oldNodeKey, String expiry, String auth) throws Exception {
    String json =
        "{\"Version\":142,\"NodeKey\":\""
            + NEW_KEY
            + "\",\"OldNodeKey\":\""
            + oldNodeKey
            + "\",\"NLKey\":\"nlpub:"
            + "1".repeat(64)
            + "\",\"Expiry\":\""
            + expiry
            + "\",\"Followup\":\"\","
            + "\"Auth\":"
            + auth
            + ",\"Hostinfo\":{\"Hostname\":\"laptop\"}}";
    Path f = Files.createTempFile(dir, "register", ".json");
    Files.writeString(f, json);
    List<JsonNode> out =
        TsHelper.run(
            List.of(
                "-addr",
                server.address(),
                "-server-key",
                server.key.publicKeyText(),
                "-machine-key",
                KeyText.format(KeyText.PRIVATE, MACHINE_PRIVATE),
                "-req",
                "POST /machine/register " + f));
    assertThat(TsHelper.event(out, "handshake").path("machineKey").asText()).isEqualTo(MACHINE_KEY);
    return TsHelper.response(out, 0);
  }

  @Test
  void shouldDispatchARotationWhenOldNodeKeyIsAKnownNodesKey() throws Exception {
    nodes = List.of(node(MACHINE_KEY, OLD_KEY, null));

    JsonNode response = register(OLD_KEY);

    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(
            new RotateNodeKeyCommand(MACHINE_KEY, OLD_KEY, NEW_KEY, "lskey-auth-abc-def", null));
    assertThat(dispatched.get(0).getMetaData())
        .containsEntry(AuditMetadata.ACTOR_TYPE, "NODE")
        .containsEntry(AuditMetadata.ACTOR_ID, MACHINE_KEY)
        .containsEntry(AuditMetadata.ORIGIN, "NODE");
    assertThat(response.path("status").asInt()).isEqualTo(500);
  }

  @Test
  void shouldLeaveTheMachineCheckToTheDomainWhenOldNodeKeyIsAnotherMachinesKey() throws Exception {
    // the domain refuses it and records the attempt; the gateway must not decide that silently
    nodes = List.of(node(OTHER_MACHINE, OLD_KEY, null));

    register(OLD_KEY);

    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(
            new RotateNodeKeyCommand(MACHINE_KEY, OLD_KEY, NEW_KEY, "lskey-auth-abc-def", null));
  }

  @Test
  void shouldRegisterAsUsualWhenOldNodeKeyIsUnknown() throws Exception {
    nodes = List.of(node(OTHER_MACHINE, "nodekey:" + "ee".repeat(32), null));

    register(OLD_KEY);

    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(
            new RegisterNodeWithPreAuthKeyCommand(
                MACHINE_KEY, NEW_KEY, "laptop", List.of(), "lskey-auth-abc-def", null));
  }

  @Test
  void shouldTellAClientItsKnownKeyExpiredSoItMakesANewOne() throws Exception {
    nodes = List.of(node(MACHINE_KEY, NEW_KEY, Instant.now().minusSeconds(60)));

    JsonNode response = register(OLD_KEY);

    assertThat(response.path("status").asInt()).isEqualTo(200);
    JsonNode body =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.path("body").asText());
    assertThat(body.path("NodeKeyExpired").asBoolean()).isTrue();
    assertThat(body.path("MachineAuthorized").asBoolean()).isFalse();
    assertThat(body.path("AuthURL").asText()).isEmpty();
    assertThat(dispatched).isEmpty();
  }

  @Test
  void cannotRegisterAKeyThatBelongsToAnotherMachine() throws Exception {
    nodes = List.of(node(OTHER_MACHINE, NEW_KEY, null));

    JsonNode response = register(OLD_KEY);

    assertThat(response.path("status").asInt()).isEqualTo(200);
    assertThat(response.path("body").asText()).contains("node key belongs to another machine");
    assertThat(dispatched).isEmpty();
  }

  private static JsonNode body(JsonNode response) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(response.path("body").asText());
  }

  @Test
  void shouldAnswerARestartedClientOfAKnownNodeWithoutDispatching() throws Exception {
    nodes = List.of(node(MACHINE_KEY, NEW_KEY, null));

    JsonNode response = send("", "0001-01-01T00:00:00Z", "null");

    assertThat(response.path("status").asInt()).isEqualTo(200);
    assertThat(body(response).path("MachineAuthorized").asBoolean()).isTrue();
    assertThat(body(response).path("User").path("DisplayName").asText()).isEqualTo("alice");
    assertThat(dispatched).isEmpty();
  }

  @Test
  void cannotResumeANodeKeyOfAnotherMachineWithoutCredentials() throws Exception {
    nodes = List.of(node(OTHER_MACHINE, NEW_KEY, null));

    JsonNode response = send("", "0001-01-01T00:00:00Z", "null");

    assertThat(response.path("body").asText()).contains("node key belongs to another machine");
    assertThat(dispatched).isEmpty();
  }

  @Test
  void cannotLogOutANodeOfAnotherMachine() throws Exception {
    nodes = List.of(node(OTHER_MACHINE, NEW_KEY, null));

    JsonNode response = send("", "1970-01-01T00:02:03Z", "null");

    assertThat(response.path("body").asText()).contains("node key belongs to another machine");
    assertThat(dispatched).isEmpty();
  }

  @Test
  void shouldExpireTheCallersOwnNodeOnLogout() throws Exception {
    nodes = List.of(node(MACHINE_KEY, NEW_KEY, null));

    send("", "1970-01-01T00:02:03Z", "null");

    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(new io.ledgerscale.domain.api.node.ExpireNodeCommand(4, null, false));
  }
}
