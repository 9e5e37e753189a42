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
import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.policy.PolicyChangedEvent;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.query.FetchPolicyQuery;
import io.ledgerscale.domain.api.query.FindNodeQuery;
import io.ledgerscale.domain.api.query.NodeView;
import io.ledgerscale.domain.api.query.PolicyView;
import io.ledgerscale.gateway.map.NetworkMap;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A stored policy that an older, more lenient parser accepted and this one refuses: written to the
 * event store as the older version would have, then read by a server that has never compiled a
 * policy. The map must fail closed (an empty packet filter, no SSH) instead of failing, health must
 * say so, and an admin must be able to set a good policy.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + StoredPolicyFailClosedIT.CONFIG)
class StoredPolicyFailClosedIT {
  static final String DIR = "target/it-policy-fail-closed";
  static final String CONFIG = DIR + "/config.yaml";
  // checkPeriod on an accept rule: refused since the parser became stricter
  private static final String NO_LONGER_VALID =
      """
      {
        "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}],
        "ssh": [{"action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self"],
                 "users": ["root"], "checkPeriod": "12h"}],
      }
      """;

  static {
    writeConfig(DIR, "");
  }

  @LocalServerPort int port;
  @Autowired CommandGateway commands;
  @Autowired QueryGateway queries;
  @Autowired EventStore eventStore;
  @Autowired NetworkMap map;

  @Test
  void shouldServeNothingButStayUpWhenTheStoredPolicyNoLongerCompiles() throws Exception {
    long alice = createUser(commands, queries, "alice", null, null);
    IssuedPreAuthKey key =
        commands.sendAndWait(
            new CreatePreAuthKeyCommand(alice, true, false, null, List.of()), ADMIN);
    String machine = key("mkey:");
    String nodeKey = key("nodekey:");
    MetaData asNode =
        AuditMetadata.of(
            new Actor(ActorType.NODE, machine, "laptop"), Origin.NODE, "127.0.0.1", null);
    long laptop =
        commands
            .<NodeRegistration>sendAndWait(
                new RegisterNodeWithPreAuthKeyCommand(
                    machine, nodeKey, "laptop", List.of(), key.key(), null),
                asNode)
            .nodeId();
    commands.sendAndWait(
        new RegisterNodeWithPreAuthKeyCommand(
            key("mkey:"), key("nodekey:"), "box", List.of(), key.key(), null),
        asNode);
    await(() -> queries.query(new FindNodeQuery(laptop), NodeView.class).join(), n -> n != null);

    // what an older server would have stored when it accepted this text
    eventStore.publish(
        new GenericDomainEventMessage<>(
            "PolicyDocument",
            AggregateIds.POLICY,
            0,
            new PolicyChangedEvent(1, NO_LONGER_VALID, "0".repeat(64), null, ""),
            ADMIN));
    await(
        () ->
            queries
                .query(new FetchPolicyQuery(), ResponseTypes.instanceOf(PolicyView.class))
                .join(),
        p -> p != null && NO_LONGER_VALID.equals(p.policy()));
    // the map follows the event on its own; on a loaded machine a re-read can be skipped (the read
    // side timed out) and the previous state served a little longer, so look until it has it
    MapResponse served =
        await(
            () -> {
              map.refreshNow();
              try {
                return map.fullMap(machine, mapRequest(nodeKey))
                    .get(60, TimeUnit.SECONDS)
                    .orElseThrow();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            r -> r.packetFilter() != null && r.packetFilter().isEmpty());

    assertThat(served.packetFilter()).isEmpty();
    assertThat(served.sshPolicy()).isNull();
    JsonNode health = await(this::health, h -> h.has("policyError"));
    assertThat(health.path("databaseConnectivity").asBoolean()).isTrue();
    assertThat(health.path("policyError").asText())
        .contains("checkPeriod")
        .contains("an empty packet filter");
    JsonNode stored = get("/api/v1/policy");
    assertThat(stored.path("policy").asText()).isEqualTo(NO_LONGER_VALID);
    assertThat(stored.path("compileError").asText()).contains("checkPeriod");

    // an admin sets a good policy: it is served, and health is clean again
    commands.sendAndWait(
        new SetPolicyCommand(
            "{\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]}"),
        ADMIN);
    await(this::health, h -> !h.has("policyError"));
    MapResponse fixed =
        map.fullMap(machine, mapRequest(nodeKey)).get(60, TimeUnit.SECONDS).orElseThrow();
    assertThat(fixed.packetFilter()).isNotEmpty();
    assertThat(get("/api/v1/policy").has("compileError")).isFalse();
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

  private JsonNode health() {
    return get("/api/v1/health");
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
