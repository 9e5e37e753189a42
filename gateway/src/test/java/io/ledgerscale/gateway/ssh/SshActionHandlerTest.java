// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.ServerUrl;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.FindLastSshAuthenticationQuery;
import io.ledgerscale.domain.api.query.FindSshCheckQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.domain.api.query.SshCheckView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.sshcheck.RequestSshCheckCommand;
import io.ledgerscale.gateway.key.KeyText;
import io.ledgerscale.gateway.machine.MachineRouter;
import io.ledgerscale.gateway.map.SshActionUrl;
import io.ledgerscale.gateway.map.SshPolicies;
import io.ledgerscale.gateway.noise.Curve25519;
import io.ledgerscale.gateway.support.ControlServer;
import io.ledgerscale.gateway.support.TsHelper;
import io.undertow.util.Methods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/**
 * The holdAndDelegate fetch of an SSH check rule, sent by Go's client inside Noise. The read models
 * are served by query handlers on a real Axon query bus and the policy is compiled by the real
 * policy engine; the command that opens a check is answered by a handler that records it (the
 * domain's own handler is in another module).
 */
class SshActionHandlerTest {
  private static final ServerUrl SERVER_URL = ServerUrl.parse("http://127.0.0.1:8080");
  private static final byte[] DST_MACHINE =
      Curve25519.clamp(HexFormat.of().parseHex("44".repeat(32)));
  private static final String DST_MACHINE_KEY =
      KeyText.format(KeyText.MACHINE_PUBLIC, Curve25519.publicKey(DST_MACHINE));
  private static final String POLICY =
      """
      {
        "tagOwners": {"tag:ci": ["alice@example.com"]},
        "acls": [],
        "ssh": [{"action": "check", "src": ["autogroup:member"], "dst": ["autogroup:self"],
                 "users": ["autogroup:nonroot"], "checkPeriod": "2h"}]
      }
      """;
  private static final String CHECK_ID = "lskey-sshcheck-CCCCCCCCCCCCCCCCCCCCCCCC";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<CommandMessage<?>> requested = new CopyOnWriteArrayList<>();
  private volatile SshCheckView lastApproval;
  private volatile Function<String, SshCheckView> checks = id -> null;
  private ControlServer server;

  @BeforeEach
  void start() {
    SimpleQueryBus queries = SimpleQueryBus.builder().build();
    queries.subscribe(
        FetchNodesQuery.class.getName(),
        NodeView[].class,
        q ->
            List.of(
                node(3, "laptop", "mkey:" + "33".repeat(32), 1, List.of()),
                node(4, "desk", DST_MACHINE_KEY, 1, List.of()),
                node(
                    5,
                    "runner",
                    "mkey:" + "55".repeat(32),
                    TaggedDevices.USER_ID,
                    List.of("tag:ci"))));
    queries.subscribe(
        FetchUsersQuery.class.getName(),
        UserView[].class,
        q ->
            List.of(
                new UserView(
                    1, "alice", "Alice", "alice@example.com", null, null, null, Instant.EPOCH)));
    queries.subscribe(
        FetchPolicyQuery.class.getName(),
        PolicyView.class,
        q -> new PolicyView(1, POLICY, Instant.EPOCH));
    queries.subscribe(
        FindLastSshAuthenticationQuery.class.getName(), SshCheckView.class, q -> lastApproval);
    queries.subscribe(
        FindSshCheckQuery.class.getName(),
        SshCheckView.class,
        q -> checks.apply(((FindSshCheckQuery) q.getPayload()).checkId()));
    SimpleCommandBus bus = SimpleCommandBus.builder().build();
    bus.subscribe(
        RequestSshCheckCommand.class.getName(),
        m -> {
          requested.add(m);
          return CHECK_ID;
        });
    DefaultQueryGateway queryGateway = DefaultQueryGateway.builder().queryBus(queries).build();
    SshActionHandler handler =
        new SshActionHandler(
            DefaultCommandGateway.builder().commandBus(bus).build(),
            queryGateway,
            new SshPolicies(queryGateway, new SshActionUrl(SERVER_URL)),
            SERVER_URL,
            Clock.systemUTC(),
            Duration.ofMillis(100),
            Duration.ofSeconds(2));
    server =
        new ControlServer(
            new MachineRouter().addPrefix(Methods.GET, SshActionHandler.PREFIX, handler));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static NodeView node(
      long id, String name, String machineKey, long userId, List<String> tags) {
    return new NodeView(
        id,
        machineKey,
        "nodekey:" + Long.toString(id).repeat(64),
        null,
        List.of("100.64.0." + id, "fd7a:115c:a1e0::" + id),
        name,
        name,
        userId,
        userId == 1 ? "alice" : "tagged",
        tags,
        null,
        null,
        null,
        Instant.EPOCH,
        "AUTH_KEY",
        true,
        false,
        List.of(),
        List.of());
  }

  private static SshCheckView check(String status, Instant decidedAt) {
    return new SshCheckView(
        CHECK_ID,
        3,
        4,
        1,
        "alice",
        "alice",
        Instant.now(),
        Instant.now().plusSeconds(600),
        status,
        decidedAt,
        "REJECTED".equals(status) ? "not me" : null);
  }

  /**
   * The fetch as tailscaled sends it, from {@code machine}; the response, with its body parsed when
   * JSON.
   */
  private JsonNode fetch(byte[] machine, String pathAndQuery) throws Exception {
    List<JsonNode> out =
        TsHelper.run(
            List.of(
                "-addr",
                server.address(),
                "-server-key",
                server.key.publicKeyText(),
                "-machine-key",
                KeyText.format(KeyText.PRIVATE, machine),
                "-timeout",
                "30s",
                "-req",
                "GET " + pathAndQuery));
    return TsHelper.response(out, 0);
  }

  private static JsonNode body(JsonNode response) throws Exception {
    assertThat(response.path("status").asInt()).as(response.toString()).isEqualTo(200);
    return JSON.readTree(response.path("body").asText());
  }

  @Test
  void shouldOpenACheckWhenTheUserNeverPassedOne() throws Exception {
    JsonNode action =
        body(fetch(DST_MACHINE, "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice"));

    assertThat(action.path("accept").asBoolean()).isFalse();
    assertThat(action.path("reject").asBoolean()).isFalse();
    assertThat(action.path("message").asText())
        .contains("visit: http://127.0.0.1:8080/auth/" + CHECK_ID)
        .contains("ledgerscale auth approve --auth-id " + CHECK_ID);
    assertThat(action.path("holdAndDelegate").asText())
        .isEqualTo(
            "https://127.0.0.1:8080/machine/ssh/action/"
                + "from/3/to/4?ssh_user=alice&local_user=alice&check="
                + CHECK_ID);
    assertThat(requested).hasSize(1);
    assertThat(requested.get(0).getPayload())
        .isEqualTo(new RequestSshCheckCommand(3, 4, "alice", "alice"));
    assertThat(requested.get(0).getMetaData())
        .containsEntry(AuditMetadata.ACTOR_TYPE, "NODE")
        .containsEntry(AuditMetadata.ACTOR_ID, DST_MACHINE_KEY)
        .containsEntry(AuditMetadata.ORIGIN, "NODE");
  }

  @Test
  void shouldAcceptWhenTheUserPassedACheckWithinTheCheckPeriod() throws Exception {
    lastApproval = check("APPROVED", Instant.now().minus(Duration.ofMinutes(90)));

    JsonNode action =
        body(fetch(DST_MACHINE, "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice"));

    assertThat(action.path("accept").asBoolean()).isTrue();
    assertThat(action.has("holdAndDelegate")).isFalse();
    assertThat(requested).isEmpty();
  }

  @Test
  void shouldCheckAgainOnceTheCheckPeriodIsOver() throws Exception {
    lastApproval = check("APPROVED", Instant.now().minus(Duration.ofMinutes(121)));

    JsonNode action =
        body(fetch(DST_MACHINE, "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice"));

    assertThat(action.path("holdAndDelegate").asText()).endsWith("&check=" + CHECK_ID);
    assertThat(requested).hasSize(1);
  }

  @Test
  void shouldHoldThePendingCheckUntilItIsApproved() throws Exception {
    long approvedAt = System.nanoTime() + Duration.ofMillis(800).toNanos();
    checks =
        id ->
            CHECK_ID.equals(id)
                ? check(System.nanoTime() < approvedAt ? "PENDING" : "APPROVED", Instant.now())
                : null;

    long started = System.nanoTime();
    JsonNode action =
        body(
            fetch(
                DST_MACHINE,
                "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice&check="
                    + CHECK_ID));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(action.path("accept").asBoolean()).isTrue();
    assertThat(action.path("message").asText()).contains("SSH check passed");
    assertThat(requested).isEmpty();
  }

  @Test
  void shouldAnswerTheSameHoldAgainWhenTheCheckIsStillPendingAfterTheHoldTime() throws Exception {
    checks = id -> check("PENDING", null);

    JsonNode action =
        body(
            fetch(
                DST_MACHINE,
                "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice&check="
                    + CHECK_ID));

    assertThat(action.path("holdAndDelegate").asText()).endsWith("&check=" + CHECK_ID);
    assertThat(action.path("accept").asBoolean()).isFalse();
    assertThat(requested).isEmpty();
  }

  @Test
  void shouldRejectWhenTheCheckWasRejected() throws Exception {
    checks = id -> check("REJECTED", Instant.now());

    JsonNode action =
        body(
            fetch(
                DST_MACHINE,
                "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice&check="
                    + CHECK_ID));

    assertThat(action.path("reject").asBoolean()).isTrue();
    assertThat(action.path("message").asText()).contains("SSH check rejected: not me");
  }

  @Test
  void shouldRejectWhatThePolicyDoesNotAllow() throws Exception {
    // autogroup:nonroot maps root to nobody
    JsonNode action =
        body(fetch(DST_MACHINE, "/machine/ssh/action/from/3/to/4?ssh_user=root&local_user=root"));

    assertThat(action.path("reject").asBoolean()).isTrue();
    assertThat(requested).isEmpty();
  }

  @Test
  void cannotAskAboutAnotherNodesConnections() throws Exception {
    byte[] other = Curve25519.clamp(HexFormat.of().parseHex("66".repeat(32)));

    JsonNode response =
        fetch(other, "/machine/ssh/action/from/3/to/4?ssh_user=alice&local_user=alice");

    assertThat(response.path("status").asInt()).isEqualTo(403);
    assertThat(requested).isEmpty();
  }

  @Test
  void cannotAskWithAMalformedUrl() throws Exception {
    assertThat(
            fetch(DST_MACHINE, "/machine/ssh/action/from/x/to/4?ssh_user=a&local_user=a")
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            fetch(DST_MACHINE, "/machine/ssh/action/from/3/to/4?ssh_user=a").path("status").asInt())
        .isEqualTo(400);
    assertThat(
            fetch(
                    DST_MACHINE,
                    "/machine/ssh/action/from/3/to/4?ssh_user=a&local_user=a&check=lskey-authreq-x")
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            fetch(DST_MACHINE, "/machine/ssh/action/from/3/to/9?ssh_user=a&local_user=a")
                .path("status")
                .asInt())
        .isEqualTo(404);
    assertThat(requested).isEmpty();
  }
}
