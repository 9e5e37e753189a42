// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.enrollment.LogOutNodeCommand;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.ledgerscale.gateway.tailcfg.RegisterResponse;
import io.ledgerscale.gateway.tailcfg.TailcfgJson;
import io.undertow.util.Methods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * /machine/register from Go's HTTP/2 client inside Noise, into a real Axon command bus. The
 * domain's command handlers live in another module, so the bus here has none: these tests check
 * what the gateway dispatches (command and audit metadata) and what it refuses to dispatch, and
 * that a dispatch failure is a 500 the client retries.
 */
class RegisterDispatchTest {
  private static final String NODE_KEY = "nodekey:" + "ab".repeat(32);
  @TempDir Path dir;
  private ControlServer server;
  private final List<CommandMessage<?>> dispatched = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    SimpleCommandBus bus = SimpleCommandBus.builder().build();
    bus.registerDispatchInterceptor(
        messages ->
            (i, m) -> {
              dispatched.add(m);
              return m;
            });
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

  private List<JsonNode> register(String json) throws Exception {
    Path f = Files.createTempFile(dir, "register", ".json");
    Files.writeString(f, json);
    return TsHelper.run(
        List.of(
            "-addr",
            server.address(),
            "-server-key",
            server.key.publicKeyText(),
            "-req",
            "POST /machine/register " + f));
  }

  private static String request(String extra) {
    return "{\"Version\":113,\"NodeKey\":\""
        + NODE_KEY
        + "\",\"OldNodeKey\":\"nodekey:"
        + "0".repeat(64)
        + "\",\"NLKey\":\"nlpub:"
        + "1".repeat(64)
        + "\",\"Expiry\":\"0001-01-01T00:00:00Z\",\"Followup\":\"\","
        + "\"Hostinfo\":{\"IPNVersion\":\"1.80.3\",\"OS\":\"linux\",\"Hostname\":\"laptop\","
        + "\"RequestTags\":[\"tag:web\"],\"SomethingNew\":{\"x\":1}}"
        + extra
        + "}";
  }

  @Test
  void shouldDispatchAPreAuthKeyRegistrationAsTheNodeWithNodeOrigin() throws Exception {
    List<JsonNode> out = register(request(",\"Auth\":{\"AuthKey\":\"lskey-auth-abc-def\"}"));
    String machineKey = TsHelper.event(out, "handshake").path("machineKey").asText();

    assertThat(dispatched).hasSize(1);
    CommandMessage<?> m = dispatched.get(0);
    assertThat(m.getPayload())
        .isEqualTo(
            new EnrollNodeCommand(
                machineKey,
                NODE_KEY,
                null,
                "laptop",
                List.of("tag:web"),
                "lskey-auth-abc-def",
                null));
    assertThat(m.getMetaData())
        .containsEntry(AuditMetadata.ACTOR_TYPE, "NODE")
        .containsEntry(AuditMetadata.ORIGIN, "NODE")
        .containsEntry(AuditMetadata.ACTOR_ID, machineKey)
        .containsEntry(AuditMetadata.ACTOR_NAME, "laptop")
        .containsEntry(AuditMetadata.SOURCE_IP, "127.0.0.1");
    // no handler on this bus: the client gets a retryable error, not a false success
    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(500);
  }

  @Test
  void shouldPassARequestedExpiryToTheCommand() throws Exception {
    register(
        request(",\"Auth\":{\"AuthKey\":\"k\"}")
            .replace("0001-01-01T00:00:00Z", "2999-01-01T00:00:00+01:00"));
    assertThat(((EnrollNodeCommand) dispatched.get(0).getPayload()).requestedExpiry())
        .isEqualTo(Instant.parse("2998-12-31T23:00:00Z"));
  }

  @Test
  void cannotRegisterWithMalformedRequestsAndDispatchesNothing() throws Exception {
    assertThat(TsHelper.response(register("{\"Version\":"), 0).path("status").asInt())
        .isEqualTo(400);
    assertThat(
            TsHelper.response(register(request("").replace(NODE_KEY, "nodekey:12")), 0)
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            TsHelper.response(
                    register(request("").replace(NODE_KEY, "nodekey:" + "0".repeat(64))), 0)
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            TsHelper.response(
                    register(request("").replace("\"Version\":113", "\"Version\":100")), 0)
                .path("body")
                .asText())
        .contains("unsupported client version: 100");
    assertThat(
            TsHelper.response(register(request("").replace("0001-01-01T00:00:00Z", "yesterday")), 0)
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(dispatched).isEmpty();
  }

  @Test
  void shouldTreatAPastExpiryAsLogoutEvenWithAnAuthKey() throws Exception {
    // A logout carries an expiry in the past (time.Unix(123, 0)), which wins over an AuthKey sent
    // with it. The domain is asked to log the node out (it is not in this module: a retryable
    // error), and no registration starts.
    List<JsonNode> out =
        register(
            request(",\"Auth\":{\"AuthKey\":\"k\"}")
                .replace("0001-01-01T00:00:00Z", "1970-01-01T00:02:03Z"));
    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(500);
    assertThat(dispatched).hasSize(1);
    assertThat(dispatched.get(0).getPayload()).isInstanceOf(LogOutNodeCommand.class);
  }

  @Test
  void shouldAnswerARegistrationAsTailscaleExpects() throws Exception {
    RegisterResponse user =
        RegisterHandler.authorized(
            new NodeRegistration(12, 3L, List.of(), "100.64.0.1", "fd7a:115c:a1e0::1", "laptop"));
    RegisterResponse tagged =
        RegisterHandler.authorized(
            new NodeRegistration(
                13, null, List.of("tag:web"), "100.64.0.2", "fd7a:115c:a1e0::2", "web"));
    JsonNode json = TailcfgJson.MAPPER.readTree(TailcfgJson.MAPPER.writeValueAsString(user));
    assertThat(json.path("MachineAuthorized").asBoolean()).isTrue();
    assertThat(json.path("User").path("ID").asLong()).isEqualTo(3);
    assertThat(json.path("Login").path("ID").asLong()).isEqualTo(3);
    assertThat(json.has("NodeKeySignature")).isTrue();
    assertThat(json.path("AuthURL").asText()).isEmpty();
    assertThat(tagged.user().id()).isEqualTo(TaggedDevices.USER_ID);
    assertThat(tagged.login().loginName()).isEqualTo(TaggedDevices.USER_NAME);
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "User",
            "Login",
            "NodeKeyExpired",
            "MachineAuthorized",
            "AuthURL",
            "NodeKeySignature",
            "Error");
  }

  @Test
  void cannotFollowUpOnAUrlThatIsNotOneOfOurAuthUrls() throws Exception {
    List<JsonNode> out =
        register(
            request("")
                .replace(
                    "\"Followup\":\"\"",
                    "\"Followup\":\"https://evil.example.com/register/lskey-authreq-abc\""));
    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(400);
    List<JsonNode> odd =
        register(
            request("")
                .replace(
                    "\"Followup\":\"\"",
                    "\"Followup\":\"http://127.0.0.1:8080/register/../../key\""));
    assertThat(TsHelper.response(odd, 0).path("status").asInt()).isEqualTo(400);
    assertThat(dispatched).isEmpty();
  }

  @Test
  void shouldReadTheRegistrationStateWhenFollowingUpAndNotStartAnother() throws Exception {
    // The registration read model is not in this module: the query finds no handler, which must be
    // a retryable
    // error, and must not start a second registration.
    List<JsonNode> out =
        register(
            request("")
                .replace(
                    "\"Followup\":\"\"",
                    "\"Followup\":\"http://127.0.0.1:8080/register/lskey-authreq-AAAAAAAAAAAAAAAAAAAAAAAA\""));
    assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(500);
    assertThat(dispatched).isEmpty();
  }

  @Test
  void shouldWaitForAFreshAuthIdToReachTheReadModelInsteadOfStartingAnother() throws Exception {
    byte[] machinePrivate = Curve25519.clamp(HexFormat.of().parseHex("11".repeat(32)));
    String machineKey =
        KeyText.format(KeyText.MACHINE_PUBLIC, Curve25519.publicKey(machinePrivate));
    String authId = "lskey-authreq-BBBBBBBBBBBBBBBBBBBBBBBB";
    long visibleAt = System.nanoTime() + Duration.ofMillis(2500).toNanos();
    SimpleQueryBus queries = SimpleQueryBus.builder().build();
    // The read model trails the event store: the first polls find nothing, then the admin's
    // rejection.
    queries.subscribe(
        FindPendingRegistrationQuery.class.getName(),
        PendingRegistrationView.class,
        q -> {
          if (System.nanoTime() < visibleAt) {
            return null;
          }
          return new PendingRegistrationView(
              authId,
              machineKey,
              NODE_KEY,
              "phone",
              List.of(),
              Instant.now(),
              Instant.now().plusSeconds(600),
              "REJECTED",
              null,
              null,
              "not this one");
        });
    SimpleCommandBus bus = SimpleCommandBus.builder().build();
    bus.registerDispatchInterceptor(
        messages ->
            (i, m) -> {
              dispatched.add(m);
              return m;
            });
    RegisterHandler register =
        new RegisterHandler(
            DefaultCommandGateway.builder().commandBus(bus).build(),
            DefaultQueryGateway.builder().queryBus(queries).build(),
            ServerUrl.parse("http://127.0.0.1:8080/"),
            Clock.systemUTC());
    try (ControlServer lagging =
        new ControlServer(new MachineRouter().add(Methods.POST, "/machine/register", register))) {
      Path f = Files.createTempFile(dir, "followup", ".json");
      Files.writeString(
          f,
          request("")
              .replace(
                  "\"Followup\":\"\"",
                  "\"Followup\":\"http://127.0.0.1:8080/register/" + authId + "\""));

      List<JsonNode> out =
          TsHelper.run(
              List.of(
                  "-addr",
                  lagging.address(),
                  "-server-key",
                  lagging.key.publicKeyText(),
                  "-machine-key",
                  KeyText.format(KeyText.PRIVATE, machinePrivate),
                  "-req",
                  "POST /machine/register " + f));

      assertThat(TsHelper.response(out, 0).path("status").asInt()).isEqualTo(200);
      assertThat(TsHelper.response(out, 0).toString())
          .contains("registration rejected: not this one");
      assertThat(dispatched).isEmpty();
    }
  }
}
