// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.map;

import static io.ledgerscale.it.map.InProcessServer.ADMIN;
import static io.ledgerscale.it.map.InProcessServer.await;
import static io.ledgerscale.it.map.InProcessServer.createUser;
import static io.ledgerscale.it.map.InProcessServer.key;
import static io.ledgerscale.it.map.InProcessServer.writeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.gateway.map.NetworkMap;
import io.ledgerscale.gateway.tailcfg.FilterRule;
import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A policy names one person and lets in that person only (issue 8, item 7): {@code alice@} is the
 * user called alice, not whoever verified an address starting {@code alice@}; a token that could
 * mean two users is refused when the policy is set, and one that becomes ambiguous later matches
 * nobody and says so in health and the policy API.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + OneIdentityOneMatchIT.CONFIG)
class OneIdentityOneMatchIT {
  static final String DIR = "target/it-one-identity";
  static final String CONFIG = DIR + "/config.yaml";

  static {
    writeConfig(DIR, "");
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired NetworkMap map;

  @Test
  void shouldLetInOnlyTheOneUserAPolicyTokenNames() throws Exception {
    long alice = createUser(commands, queries, "alice", null, "alice@new.example");
    // a second IdP account that verified alice's old address
    long second = createUser(commands, queries, "alice-old", null, "alice@old.example");
    long dora = createUser(commands, queries, "dora", null, "dora@example.com");
    long bob = createUser(commands, queries, "bob", null, "bob@example.com");
    String aliceIp = register(alice, "alice-laptop").ipv4();
    String secondIp = register(second, "second-laptop").ipv4();
    String doraIp = register(dora, "dora-laptop").ipv4();
    String bobMachine = key("mkey:");
    String bobNodeKey = key("nodekey:");
    register(bob, "bob-server", bobMachine, bobNodeKey);

    commands.sendAndWait(
        new SetPolicyCommand(
            "{\"acls\": [{\"action\": \"accept\", \"src\": [\"alice@\", \"dora@example.com\"],"
                + " \"dst\": [\"bob@:*\"]}]}"),
        ADMIN);
    List<String> sources = await(() -> sourcesOf(bobMachine, bobNodeKey), s -> s.contains(aliceIp));
    assertThat(sources).contains(aliceIp, doraIp).doesNotContain(secondIp);

    // a token two users could be meant by is refused when set, naming both
    createUser(commands, queries, "erin", null, "erin@example.com");
    createUser(commands, queries, "erin@example.com", null, null);
    assertThatThrownBy(
            () ->
                commands.sendAndWait(
                    new SetPolicyCommand(
                        "{\"acls\": [{\"action\": \"accept\", \"src\": [\"erin@example.com\"],"
                            + " \"dst\": [\"bob@:*\"]}]}"),
                    ADMIN))
        .hasMessageContaining("\"erin@example.com\" is ambiguous")
        .hasMessageContaining("erin (id ")
        .hasMessageContaining("erin@example.com (id ");

    // a user created later makes the stored policy's dora@example.com ambiguous: it names nobody
    // now, and health and the policy API say so
    createUser(commands, queries, "dora@example.com", null, null);
    List<String> after = await(() -> sourcesOf(bobMachine, bobNodeKey), s -> !s.contains(doraIp));
    assertThat(after).contains(aliceIp).doesNotContain(doraIp, secondIp);
    JsonNode health = await(() -> get("/api/v1/health"), h -> h.has("policyError"));
    assertThat(health.path("policyError").asText())
        .contains("\"dora@example.com\" is ambiguous")
        .contains("dora (id " + dora);
    assertThat(get("/api/v1/policy").path("compileError").asText()).contains("ambiguous");
  }

  private NodeRegistration register(long user, String hostname) {
    return register(user, hostname, key("mkey:"), key("nodekey:"));
  }

  private NodeRegistration register(long user, String hostname, String machine, String nodeKey) {
    IssuedPreAuthKey key =
        commands.sendAndWait(
            new CreatePreAuthKeyCommand(user, false, false, null, List.of()), ADMIN);
    NodeRegistration node =
        commands.sendAndWait(
            new RegisterNodeWithPreAuthKeyCommand(
                machine, nodeKey, hostname, List.of(), key.key(), null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, machine, hostname), Origin.NODE, "127.0.0.1", null));
    await(
        () -> queries.query(new FindNodeQuery(node.nodeId()), NodeView.class).join(),
        n -> n != null);
    return node;
  }

  private List<String> sourcesOf(String machine, String nodeKey) {
    try {
      map.refreshNow();
      MapResponse r =
          map.fullMap(machine, mapRequest(nodeKey)).get(60, TimeUnit.SECONDS).orElseThrow();
      List<String> out = new ArrayList<>();
      if (r.packetFilter() != null) {
        for (FilterRule rule : r.packetFilter()) {
          out.addAll(rule.srcIps());
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MapRequest mapRequest(String nodeKey) {
    return new MapRequest(
        113,
        null,
        false,
        nodeKey,
        key("discokey:"),
        false,
        false,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        false);
  }

  private JsonNode get(String path) {
    try {
      String apiKey = Files.readString(Path.of(DIR, "data", "initial-api-key")).trim();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .header("Authorization", "Bearer " + apiKey)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return new ObjectMapper().readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
