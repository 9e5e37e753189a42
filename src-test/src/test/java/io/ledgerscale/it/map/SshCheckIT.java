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
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.AuditEntryView;
import io.ledgerscale.domain.api.query.AuditPage;
import io.ledgerscale.domain.api.query.FetchAuditTrailQuery;
import io.ledgerscale.domain.api.query.FetchNodesQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.sshcheck.ApproveSshCheckCommand;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
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

  static {
    writeConfig(DIR, "");
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired ServerMachineKey serverKey;

  @Test
  void canPassAnSshCheckAndThenSshWithoutOneWithinTheCheckPeriod() throws Exception {
    long alice = createUser(commands, queries, "alice", "Alice", "alice@example.com");
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
        TsHelperProcess.startAs(
            port,
            serverKey.publicKeyText(),
            deskKey,
            "-timeout",
            "60s",
            "-req",
            "GET " + url.substring("https://127.0.0.1:8080".length()));
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
        TsHelperProcess.startAs(
                port, serverKey.publicKeyText(), machinePrivate, "-req", "GET " + path)
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
            TsHelperProcess.startAs(
                    port,
                    serverKey.publicKeyText(),
                    machinePrivate,
                    "-req",
                    "POST /machine/register " + f)
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
}
