// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.node.NodeRegistration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeApiIT extends RunningServer {
  private JsonNode owner;
  private long nodeId;

  @BeforeEach
  void registerANode() {
    owner = createUser(unique("grace"));
    NodeRegistration node =
        registerNode(createPreAuthKey(owner.path("id").asText(), null), unique("laptop"));
    nodeId = node.nodeId();
  }

  private JsonNode node() {
    Http.Answer got = admin().get("/api/v1/node/" + nodeId);
    assertThat(got.status()).as(got.toString()).isEqualTo(200);
    return got.json().path("node");
  }

  @Test
  void canGetANodeInHeadscalesShape() {
    JsonNode node = node();

    assertThat(node.path("id").asText()).isEqualTo(Long.toString(nodeId));
    assertThat(node.path("machineKey").asText()).startsWith("mkey:");
    assertThat(node.path("nodeKey").asText()).startsWith("nodekey:");
    assertThat(node.path("ipAddresses").size()).isGreaterThanOrEqualTo(1);
    assertThat(node.path("user").path("name").asText()).isEqualTo(owner.path("name").asText());
    assertThat(node.path("registerMethod").asText()).isEqualTo("REGISTER_METHOD_AUTH_KEY");
    assertThat(node.path("preAuthKey").path("key").asText()).endsWith("-***");
    assertThat(node.path("givenName").asText()).isNotBlank();
    assertThat(node.has("online")).isTrue();
    assertThat(node.path("tags").isArray()).isTrue();
  }

  @Test
  void canListNodesOfOneUser() {
    JsonNode all = admin().get("/api/v1/node").json().path("nodes");
    JsonNode mine =
        admin().get("/api/v1/node?user=" + owner.path("name").asText()).json().path("nodes");

    assertThat(all.findValuesAsText("id")).contains(Long.toString(nodeId));
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).path("id").asText()).isEqualTo(Long.toString(nodeId));
  }

  @Test
  void canRenameExpireAndDeleteANode() {
    String newName = unique("renamed");
    Http.Answer renamed = admin().post("/api/v1/node/" + nodeId + "/rename/" + newName, null);
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.json().path("node").path("givenName").asText()).isEqualTo(newName);

    Instant later = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Http.Answer expiry = admin().post("/api/v1/node/" + nodeId + "/expire?expiry=" + later, null);
    assertThat(expiry.status()).as(expiry.toString()).isEqualTo(200);
    assertThat(Instant.parse(expiry.json().path("node").path("expiry").asText())).isEqualTo(later);

    Http.Answer never = admin().post("/api/v1/node/" + nodeId + "/expire?disableExpiry=true", null);
    assertThat(never.status()).as(never.toString()).isEqualTo(200);
    assertThat(never.json().path("node").path("expiry").isNull()).isTrue();

    Http.Answer now = admin().post("/api/v1/node/" + nodeId + "/expire", null);
    assertThat(now.status()).as(now.toString()).isEqualTo(200);
    assertThat(Instant.parse(now.json().path("node").path("expiry").asText()))
        .isBeforeOrEqualTo(Instant.now());

    Http.Answer deleted = admin().delete("/api/v1/node/" + nodeId);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(admin().get("/api/v1/node/" + nodeId).status()).isEqualTo(404);
  }

  @Test
  void canTagANodeWhichThenBelongsToTaggedDevices() {
    declareTags();

    Http.Answer tagged =
        admin().post("/api/v1/node/" + nodeId + "/tags", "{\"tags\":[\"tag:server\"]}");

    assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);
    JsonNode node = tagged.json().path("node");
    assertThat(node.path("tags").get(0).asText()).isEqualTo("tag:server");
    assertThat(node.path("user").path("name").asText()).isEqualTo("tagged-devices");
  }

  @Test
  void canApproveRoutesAndRemoveThemAgain() {
    Http.Answer approved =
        admin().post("/api/v1/node/" + nodeId + "/approve_routes", "{\"routes\":[\"10.0.0.0/8\"]}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().path("node").path("approvedRoutes").toString())
        .contains("10.0.0.0/8");

    Http.Answer cleared =
        admin().post("/api/v1/node/" + nodeId + "/approve_routes", "{\"routes\":[]}");
    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    assertThat(cleared.json().path("node").path("approvedRoutes")).isEmpty();
  }

  @Test
  void canTransferANodeToAnotherUserWithAReason() {
    JsonNode heir = createUser(unique("heidi"));

    Http.Answer moved =
        admin()
            .post(
                "/api/v1/node/" + nodeId + "/transfer",
                "{\"user\":\""
                    + heir.path("name").asText()
                    + "\",\"reason\":\"grace left the team\"}");

    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().path("node").path("user").path("id").asText())
        .isEqualTo(heir.path("id").asText());
  }

  @Test
  void cannotTagWithATagNoPolicyDeclares() {
    Http.Answer refused =
        admin()
            .post(
                "/api/v1/node/" + nodeId + "/tags", "{\"tags\":[\"tag:" + unique("nope") + "\"]}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(node().path("tags")).isEmpty();
  }

  @Test
  void cannotApproveSomethingThatIsNoRoute() {
    Http.Answer refused =
        admin().post("/api/v1/node/" + nodeId + "/approve_routes", "{\"routes\":[\"not-a-cidr\"]}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(node().path("approvedRoutes")).isEmpty();
  }

  @Test
  void cannotTouchANodeThatDoesNotExist() {
    assertThat(admin().get("/api/v1/node/99999999").status()).isEqualTo(404);
    assertThat(admin().post("/api/v1/node/99999999/rename/x", null).status()).isEqualTo(404);
    assertThat(admin().delete("/api/v1/node/99999999").status()).isEqualTo(404);
  }

  @Test
  void cannotDeleteANodeWithoutAKey() {
    Http.Answer refused = anonymous().delete("/api/v1/node/" + nodeId);

    assertThat(refused.status()).isEqualTo(401);
    assertThat(node().path("id").asText()).isEqualTo(Long.toString(nodeId));
  }

  @Test
  void cannotSendMalformedTags() {
    assertThat(
            admin().post("/api/v1/node/" + nodeId + "/tags", "{\"tags\":\"tag:server\"").status())
        .isEqualTo(400);
    assertThat(admin().post("/api/v1/node/" + nodeId + "/expire?expiry=yesterday", null).status())
        .isEqualTo(400);
  }

  @Test
  void cannotTransferToAUserThatDoesNotExist() {
    Http.Answer refused =
        admin()
            .post(
                "/api/v1/node/" + nodeId + "/transfer",
                "{\"user\":\"" + unique("nobody") + "\",\"reason\":\"typo\"}");

    assertThat(refused.status()).isEqualTo(404);
    assertThat(node().path("user").path("id").asText()).isEqualTo(owner.path("id").asText());
  }
}
