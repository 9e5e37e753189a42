// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.AdvertiseNodeRoutesCommand;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Setting, checking and auditing the policy, and asking what a node could reach at a given time.
 */
class PolicyLifecycleApiIT extends RunningServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String body(String policy) {
    try {
      return JSON.writeValueAsString(Map.of("policy", policy));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Other test classes tag nodes with these; every policy set here keeps them declared. */
  static final String SHARED_TAGS = "\"tag:server\": [], \"tag:db\": [], \"tag:web\": []";

  private JsonNode currentPolicy() {
    Http.Answer got = admin().get("/api/v1/policy");
    return got.status() == 200 ? got.json() : null;
  }

  private JsonNode awaitAudit(String query, int atLeast) {
    JsonNode[] entries = new JsonNode[1];
    awaitTrue(
        () -> {
          entries[0] = admin().get("/api/v1/audit?" + query).json().path("entries");
          return entries[0].size() >= atLeast;
        });
    return entries[0];
  }

  private Http.Answer set(String policy) {
    return admin().put("/api/v1/policy", body(policy));
  }

  private long nodeOf(String user) {
    JsonNode created = createUser(user);
    return registerNode(createPreAuthKey(created.path("id").asText(), null), unique("box"))
        .nodeId();
  }

  private JsonNode reach(long node, Instant at) {
    Http.Answer answer =
        admin()
            .get(
                "/api/v1/policy/reach?node="
                    + node
                    + "&at="
                    + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  private static List<String> portsTo(JsonNode reach, long peer) {
    for (JsonNode p : reach.path("peers")) {
      if (p.path("nodeId").asLong() == peer) {
        List<String> ports = new ArrayList<>();
        p.path("ports").forEach(x -> ports.add(x.asText()));
        return ports;
      }
    }
    return List.of();
  }

  /** The history entry of the version with this text, once the history read model shows it. */
  private JsonNode versionOf(String text) throws Exception {
    String sha =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
    JsonNode[] found = new JsonNode[1];
    awaitTrue(
        () -> {
          for (JsonNode entry : admin().get("/api/v1/policy/history").json().path("versions")) {
            if (entry.path("sha256").asText().equals(sha)) {
              found[0] = entry;
            }
          }
          return found[0] != null;
        });
    return found[0];
  }

  @Test
  void cannotSetInvalidHuJsonAndTheRefusalSaysWhereAndIsRecorded() {
    JsonNode before = currentPolicy();
    String broken =
        "{\n  \"acls\": [\n    {\"action\": \"accept\", \"src\": [\"nobody-at-all\"], \"dst\": [\"*:*\"]}\n  ]\n}";

    Http.Answer refused = set(broken);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.isProblem()).isTrue();
    assertThat(refused.json().path("detail").asText()).contains("(line 3, column");
    assertThat(currentPolicy()).isEqualTo(before);
    // refusals carry the target type the handler named
    awaitTrue(
        () ->
            admin()
                .get("/api/v1/audit?target_type=Policy&action=CommandRefusedEvent")
                .text()
                .contains("nobody-at-all"));
    JsonNode refusal = null;
    for (JsonNode e :
        admin()
            .get("/api/v1/audit?target_type=Policy&action=CommandRefusedEvent")
            .json()
            .path("entries")) {
      if (e.toString().contains("nobody-at-all")) {
        refusal = e;
      }
    }
    assertThat(refusal.path("newValues").path("reason").asText())
        .isEqualTo(refused.json().path("detail").asText());
  }

  @Test
  void cannotSetAPolicyWhoseTestsFailButCanOneWhoseTestsPass() {
    String alice = unique("tina");
    String bob = unique("ugo");
    nodeOf(alice);
    nodeOf(bob);
    String acl =
        """
        {"tagOwners": {%s},
         "acls": [{"action": "accept", "src": ["%s@"], "dst": ["%s@:22"]}],
         "tests": [{"src": "%s@", "accept": ["%s@:%d"]}]}""";
    String failing = acl.formatted(SHARED_TAGS, alice, bob, alice, bob, 80);
    String passing = acl.formatted(SHARED_TAGS, alice, bob, alice, bob, 22);
    JsonNode before = currentPolicy();

    Http.Answer checkedFailing = admin().post("/api/v1/policy/check", body(failing));
    Http.Answer refused = set(failing);

    assertThat(checkedFailing.status()).isEqualTo(400);
    assertThat(checkedFailing.json().path("detail").asText())
        .contains("test(s) failed", bob + "@:80");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.json().path("detail").asText())
        .isEqualTo(checkedFailing.json().path("detail").asText());
    assertThat(currentPolicy()).isEqualTo(before);

    assertThat(admin().post("/api/v1/policy/check", body(passing)).status()).isEqualTo(200);
    assertThat(currentPolicy()).isEqualTo(before);
    Http.Answer accepted = set(passing);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    assertThat(currentPolicy().path("policy").asText()).isEqualTo(passing);
  }

  @Test
  void shouldAutoApproveAnAdvertisedRouteTheSystemIsAllowedToApprove() {
    String owner = unique("vera");
    long router = nodeOf(owner);
    Http.Answer set =
        set(
            """
        {"tagOwners": {%s},
         // vera's routers may serve 10.77.0.0/16 without an operator
         "autoApprovers": {"routes": {"10.77.0.0/16": ["%s@"]}}}"""
                .formatted(SHARED_TAGS, owner));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);

    commands.sendAndWait(
        new AdvertiseNodeRoutesCommand(router, List.of("10.77.1.0/24", "10.99.0.0/24")),
        AuditMetadata.of(
            new Actor(ActorType.NODE, "router", "router"), Origin.NODE, "127.0.0.1", null));

    awaitTrue(
        () ->
            admin().get("/api/v1/node/" + router).json().path("node").path("approvedRoutes").size()
                == 1);
    JsonNode node = admin().get("/api/v1/node/" + router).json().path("node");
    assertThat(node.path("approvedRoutes").get(0).asText()).isEqualTo("10.77.1.0/24");
    assertThat(node.path("availableRoutes").toString()).contains("10.77.1.0/24", "10.99.0.0/24");
    JsonNode approval =
        awaitAudit("target_type=node&target_id=" + router + "&action=NodeRoutesApprovedEvent", 1)
            .get(0);
    assertThat(approval.path("actorType").asText()).isEqualTo("SYSTEM");
    assertThat(approval.path("origin").asText()).isEqualTo("SYSTEM");
    assertThat(approval.toString()).contains("autoApprovers");
  }

  @Test
  void canAnswerWhatANodeCouldReachBeforeAndAfterAPolicyChangeAndATagChange() throws Exception {
    String alice = unique("wanda");
    String bob = unique("xavi");
    long laptop = nodeOf(alice);
    long server = nodeOf(bob);
    String v1Text =
        """
        {"tagOwners": {%s},
         "acls": [{"action": "accept", "src": ["%s@"], "dst": ["%s@:22"]}]}"""
            .formatted(SHARED_TAGS, alice, bob);
    String v2Text =
        """
        {"tagOwners": {%s},
         "acls": [{"action": "accept", "src": ["%s@"], "dst": ["tag:server:443"]}]}"""
            .formatted(SHARED_TAGS, alice);

    assertThat(set(v1Text).status()).isEqualTo(200);
    JsonNode first = versionOf(v1Text);
    long v1 = first.path("version").asLong();
    Instant afterV1 = Instant.parse(first.path("changedAt").asText());
    Thread.sleep(20);
    assertThat(set(v2Text).status()).isEqualTo(200);
    JsonNode second = versionOf(v2Text);
    long v2 = second.path("version").asLong();
    Instant afterV2 = Instant.parse(second.path("changedAt").asText());
    Thread.sleep(20);
    Http.Answer tagged =
        admin().post("/api/v1/node/" + server + "/tags", "{\"tags\": [\"tag:server\"]}");
    assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);
    Instant afterTag = Instant.now();

    JsonNode underV1 = reach(laptop, afterV1);
    JsonNode underV2 = reach(laptop, afterV2);
    JsonNode afterTagging = reach(laptop, afterTag);

    assertThat(underV1.path("policyVersion").asLong()).isEqualTo(v1);
    assertThat(portsTo(underV1, server)).containsExactly("22");
    assertThat(underV2.path("policyVersion").asLong()).isEqualTo(v2);
    assertThat(portsTo(underV2, server)).isEmpty();
    assertThat(afterTagging.path("policyVersion").asLong()).isEqualTo(v2);
    assertThat(portsTo(afterTagging, server)).containsExactly("443");
    JsonNode serverNow = reach(server, afterTag);
    assertThat(serverNow.path("node").path("tags").toString()).contains("tag:server");
    assertThat(serverNow.path("packetFilter").toString()).contains(":443");

    Http.Answer diff = admin().get("/api/v1/policy/diff?from=" + v1 + "&to=" + v2);
    assertThat(diff.status()).isEqualTo(200);
    assertThat(diff.json().path("diff").asText())
        .isEqualTo(
            " "
                + v1Text.lines().toList().get(0)
                + "\n-"
                + v1Text.lines().toList().get(1)
                + "\n+"
                + v2Text.lines().toList().get(1)
                + "\n");
    assertThat(admin().get("/api/v1/policy/diff?from=" + v1 + "&to=999999").status())
        .isEqualTo(404);

    JsonNode history =
        admin()
            .get("/api/v1/policy/history?from=" + afterV1 + "&to=" + afterV2)
            .json()
            .path("versions");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("version").asLong()).isEqualTo(v1);
    assertThat(history.get(1).path("version").asLong()).isEqualTo(v2);
    assertThat(history.get(1).path("actorType").asText()).isEqualTo("API_KEY");
    assertThat(history.get(1).path("origin").asText()).isEqualTo("REST");
    assertThat(history.get(1).path("previousSha256").asText())
        .isEqualTo(history.get(0).path("sha256").asText());

    assertThat(
            admin()
                .get("/api/v1/policy/reach?node=" + laptop + "&at=2000-01-01T00:00:00Z")
                .status())
        .isEqualTo(404);
    assertThat(admin().get("/api/v1/policy/reach?node=" + laptop + "&at=yesterday").status())
        .isEqualTo(400);
  }
}
