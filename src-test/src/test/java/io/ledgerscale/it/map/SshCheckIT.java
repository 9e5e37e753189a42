// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tailscale SSH check mode on the real server: two nodes of one user register through the gateway;
 * the destination fetches the check rule's holdAndDelegate URL over Noise (as tailscaled does while
 * it holds the SSH client), gets a check to pass, waits on it, and is let in once the check is
 * approved; within the check period the next connection needs no check.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"ledgerscale.config=" + SshCheckIT.CONFIG})
class SshCheckIT {
  static final String DIR = "target/it-ssh-check";
  static final String CONFIG = DIR + "/config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final MetaData ADMIN =
      AuditMetadata.of(Actor.system("it"), Origin.SYSTEM, "", null);

  static {
    Path dir = Dirs.fresh(Path.of(DIR));
    try {
      Files.writeString(
          dir.resolve("derp.json"),
          """
          {"Regions":{"900":{"RegionID":900,"RegionCode":"test","RegionName":"Test","Nodes":[
            {"Name":"900a","RegionID":900,"HostName":"127.0.0.1","IPv4":"127.0.0.1","IPv6":"none",
             "STUNPort":-1,"DERPPort":3340,"InsecureForTests":true}]}}}
          """);
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %s/data
          database:
            embedded:
              port: 0
          derp:
            urls: []
            paths: [%s/derp.json]
          """
              .formatted(dir.toAbsolutePath(), dir.toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired ServerMachineKey serverKey;

  @Test
  void canPassAnSshCheckAndThenSshWithoutOneWithinTheCheckPeriod() throws Exception {
    commands.sendAndWait(
        new CreateUserCommand("alice", "Alice", "alice@example.com", null, null, null), ADMIN);
    long alice =
        await(
                () ->
                    queries
                        .query(
                            new FetchUsersQuery(null, "alice", null),
                            ResponseTypes.multipleInstancesOf(UserView.class))
                        .join(),
                l -> !l.isEmpty())
            .get(0)
            .id();
    commands.sendAndWait(
        new SetPolicyCommand(
            """
        {"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}],
         "ssh": [{"action": "check", "src": ["autogroup:member"], "dst": ["autogroup:self"],
                  "users": ["autogroup:nonroot"], "checkPeriod": "1h"}]}
        """),
        ADMIN);
    IssuedPreAuthKey key =
        commands.sendAndWait(
            new CreatePreAuthKeyCommand(alice, true, false, null, List.of()), ADMIN);
    String laptopKey = key("privkey:");
    String deskKey = key("privkey:");
    long laptop = register(laptopKey, "laptop", key.key());
    long desk = register(deskKey, "desk", key.key());
    String path =
        "/machine/ssh/action/from/" + laptop + "/to/" + desk + "?ssh_user=alice&local_user=alice";

    // another machine may not ask about the desk's connections
    assertThat(fetch(laptopKey, path).path("status").asInt()).isEqualTo(403);

    JsonNode hold = body(fetch(deskKey, path));
    String url = hold.path("holdAndDelegate").asText();
    assertThat(url).startsWith("https://127.0.0.1:8080" + path + "&check=lskey-sshcheck-");
    String checkId = url.substring(url.indexOf("&check=") + "&check=".length());
    assertThat(hold.path("message").asText())
        .contains("ledgerscale auth approve --auth-id " + checkId);

    CompletableFuture<List<JsonNode>> waiting =
        TsHelperProcess.start(
            List.of(
                "-addr",
                "127.0.0.1:" + port,
                "-server-key",
                serverKey.publicKeyText(),
                "-machine-key",
                deskKey,
                "-timeout",
                "60s",
                "-req",
                "GET " + url.substring("https://127.0.0.1:8080".length())));
    Thread.sleep(1500);
    assertThat(waiting).as("held until the check is decided").isNotDone();
    commands.sendAndWait(new ApproveSshCheckCommand(checkId, null), ADMIN);

    JsonNode let = body(TsHelperProcess.response(waiting.get(60, TimeUnit.SECONDS), 0));
    assertThat(let.path("accept").asBoolean()).as(let.toString()).isTrue();

    JsonNode again = body(fetch(deskKey, path));
    assertThat(again.path("accept").asBoolean()).as("within the check period: " + again).isTrue();
    List<AuditEntryView> requested = audit("SshCheckRequestedEvent");
    assertThat(requested).hasSize(1);
    assertThat(requested.get(0).actorType()).isEqualTo("NODE");
    assertThat(requested.get(0).actorId()).isEqualTo(machineKey(desk));
    assertThat(audit("SshCheckApprovedEvent")).hasSize(1);
  }

  /** The audit entries of one action, once the audit projection has them. */
  private List<AuditEntryView> audit(String action) throws InterruptedException {
    return await(
        () ->
            queries
                .query(
                    new FetchAuditTrailQuery(null, null, null, action, null, null, 0, 100),
                    ResponseTypes.instanceOf(AuditPage.class))
                .join()
                .entries(),
        l -> !l.isEmpty());
  }

  private String machineKey(long nodeId) {
    return queries
        .query(new FetchNodesQuery(null), ResponseTypes.multipleInstancesOf(NodeView.class))
        .join()
        .stream()
        .filter(n -> n.id() == nodeId)
        .findFirst()
        .orElseThrow()
        .machineKey();
  }

  private JsonNode fetch(String machinePrivate, String path) throws Exception {
    return TsHelperProcess.response(
        TsHelperProcess.start(
                List.of(
                    "-addr",
                    "127.0.0.1:" + port,
                    "-server-key",
                    serverKey.publicKeyText(),
                    "-machine-key",
                    machinePrivate,
                    "-req",
                    "GET " + path))
            .get(90, TimeUnit.SECONDS),
        0);
  }

  private static JsonNode body(JsonNode response) throws IOException {
    assertThat(response.path("status").asInt()).as(response.toString()).isEqualTo(200);
    return JSON.readTree(response.path("body").asText());
  }

  private long register(String machinePrivate, String hostname, String authKey) throws Exception {
    String nodeKey = key("nodekey:");
    Map<String, Object> req =
        Map.of(
            "Version",
            113,
            "NodeKey",
            nodeKey,
            "Auth",
            Map.of("AuthKey", authKey),
            "Hostinfo",
            Map.of("Hostname", hostname, "OS", "linux"),
            "Expiry",
            "0001-01-01T00:00:00Z");
    Path f = Path.of(DIR, "register-" + hostname + ".json").toAbsolutePath();
    Files.write(f, JSON.writeValueAsBytes(req));
    JsonNode r =
        TsHelperProcess.response(
            TsHelperProcess.start(
                    List.of(
                        "-addr",
                        "127.0.0.1:" + port,
                        "-server-key",
                        serverKey.publicKeyText(),
                        "-machine-key",
                        machinePrivate,
                        "-req",
                        "POST /machine/register " + f))
                .get(60, TimeUnit.SECONDS),
            0);
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200);
    return await(
            () ->
                queries
                    .query(
                        new FetchNodesQuery(null),
                        ResponseTypes.multipleInstancesOf(NodeView.class))
                    .join()
                    .stream()
                    .filter(n -> n.nodeKey().equals(nodeKey))
                    .toList(),
            l -> !l.isEmpty())
        .get(0)
        .id();
  }

  private static String key(String type) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return type + HexFormat.of().formatHex(raw);
  }

  private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    T value = read.get();
    while (!done.test(value)) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(25);
      value = read.get();
    }
    return value;
  }
}
