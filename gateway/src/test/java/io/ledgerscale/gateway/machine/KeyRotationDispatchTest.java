// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.enrollment.EnrollmentAnswer;
import io.ledgerscale.domain.api.enrollment.LogOutNodeCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.undertow.util.Methods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
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
 * A register request carrying an OldNodeKey, a restart without credentials and a logout, from Go's
 * client inside Noise: what the gateway sends the domain, and how it puts the domain's answer on
 * the wire. Which answer is right is the domain's decision ({@code EnrollmentDecisionsTest}); here
 * a handler on a real Axon command bus gives each answer the domain can give.
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
  private volatile Function<Object, Object> domain =
      c -> {
        throw new IllegalStateException("no domain here");
      };
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
    for (Class<?> type : List.of(EnrollNodeCommand.class, LogOutNodeCommand.class)) {
      bus.subscribe(type.getName(), m -> domain.apply(m.getPayload()));
    }
    RegisterHandler register =
        new RegisterHandler(
            DefaultCommandGateway.builder().commandBus(bus).build(),
            DefaultQueryGateway.builder().queryBus(SimpleQueryBus.builder().build()).build(),
            ServerUrl.parse("http://127.0.0.1:8080/"),
            Clock.systemUTC());
    server =
        new ControlServer(new MachineRouter().add(Methods.POST, "/machine/register", register));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static final EnrollmentAnswer.KnownNode ALICES_LAPTOP =
      new EnrollmentAnswer.KnownNode(4, 1, "alice", false);

  private void refuseForeignKey() {
    domain =
        c -> {
          throw new CommandRefusedException(
              RefusalKind.CREDENTIAL_REJECTED, "node key belongs to another machine");
        };
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

  private static JsonNode body(JsonNode response) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(response.path("body").asText());
  }

  @Test
  void shouldSendTheRequestWithItsOldNodeKeyToTheDomainAsTheNode() throws Exception {
    register(OLD_KEY);

    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(
            new EnrollNodeCommand(
                MACHINE_KEY, NEW_KEY, OLD_KEY, "laptop", List.of(), "lskey-auth-abc-def", null));
    assertThat(dispatched.get(0).getMetaData())
        .containsEntry(AuditMetadata.ACTOR_TYPE, "NODE")
        .containsEntry(AuditMetadata.ACTOR_ID, MACHINE_KEY)
        .containsEntry(AuditMetadata.ORIGIN, "NODE");
  }

  @Test
  void shouldTellAClientItsKnownKeyExpiredSoItMakesANewOne() throws Exception {
    domain = c -> new EnrollmentAnswer.KnownNode(4, 1, "alice", true);

    JsonNode response = register(OLD_KEY);

    assertThat(response.path("status").asInt()).isEqualTo(200);
    assertThat(body(response).path("NodeKeyExpired").asBoolean()).isTrue();
    assertThat(body(response).path("MachineAuthorized").asBoolean()).isFalse();
    assertThat(body(response).path("AuthURL").asText()).isEmpty();
  }

  @Test
  void cannotRegisterAKeyThatBelongsToAnotherMachine() throws Exception {
    refuseForeignKey();

    JsonNode response = register(OLD_KEY);

    assertThat(response.path("status").asInt()).isEqualTo(200);
    assertThat(response.path("body").asText()).contains("node key belongs to another machine");
    assertThat(dispatched).hasSize(1);
  }

  @Test
  void shouldAnswerARestartedClientOfAKnownNodeWithoutAskingForALogin() throws Exception {
    domain = c -> ALICES_LAPTOP;

    JsonNode response = send("", "0001-01-01T00:00:00Z", "null");

    assertThat(response.path("status").asInt()).isEqualTo(200);
    assertThat(body(response).path("MachineAuthorized").asBoolean()).isTrue();
    assertThat(body(response).path("User").path("DisplayName").asText()).isEqualTo("alice");
    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(
            new EnrollNodeCommand(MACHINE_KEY, NEW_KEY, null, "laptop", List.of(), null, null));
  }

  @Test
  void shouldAskForALoginWhenTheDomainSaysOne() throws Exception {
    domain = c -> new EnrollmentAnswer.LoginRequired();

    send("", "0001-01-01T00:00:00Z", "null");

    assertThat(dispatched).hasSize(2);
    assertThat(dispatched.get(1).getPayload()).isInstanceOf(RequestRegistrationCommand.class);
  }

  @Test
  void cannotResumeANodeKeyOfAnotherMachineWithoutCredentials() throws Exception {
    refuseForeignKey();

    JsonNode response = send("", "0001-01-01T00:00:00Z", "null");

    assertThat(response.path("body").asText()).contains("node key belongs to another machine");
    assertThat(dispatched).hasSize(1);
  }

  @Test
  void cannotLogOutANodeOfAnotherMachine() throws Exception {
    refuseForeignKey();

    JsonNode response = send("", "1970-01-01T00:02:03Z", "null");

    assertThat(response.path("body").asText()).contains("node key belongs to another machine");
  }

  @Test
  void shouldAskTheDomainToLogTheCallersNodeOut() throws Exception {
    domain = c -> new EnrollmentAnswer.LoggedOut(1L, "alice");

    JsonNode response = send("", "1970-01-01T00:02:03Z", "null");

    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload())
        .isEqualTo(new LogOutNodeCommand(MACHINE_KEY, NEW_KEY));
    assertThat(body(response).path("NodeKeyExpired").asBoolean()).isTrue();
    assertThat(body(response).path("User").path("DisplayName").asText()).isEqualTo("alice");
  }
}
