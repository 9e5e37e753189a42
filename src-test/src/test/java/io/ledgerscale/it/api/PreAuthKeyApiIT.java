// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PreAuthKeyApiIT extends RunningServer {

  private JsonNode listed(String id) {
    for (JsonNode key : admin().get("/api/v1/preauthkey").json().path("preAuthKeys")) {
      if (key.path("id").asText().equals(id)) {
        return key;
      }
    }
    return null;
  }

  @Test
  void canCreateAKeyForAUserByIdAndSeeItOnce() {
    JsonNode user = createUser(unique("erin"));

    Http.Answer created =
        admin()
            .post(
                "/api/v1/preauthkey",
                "{\"user\":\""
                    + user.path("id").asText()
                    + "\",\"reusable\":true,\"ephemeral\":false}");

    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonNode key = created.json().path("preAuthKey");
    assertThat(key.path("key").asText()).startsWith("lskey-auth-").doesNotEndWith("***");
    assertThat(key.path("reusable").asBoolean()).isTrue();
    assertThat(key.path("user").path("name").asText()).isEqualTo(user.path("name").asText());
    assertThat(Instant.parse(key.path("expiration").asText()))
        .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
    JsonNode inList = listed(key.path("id").asText());
    assertThat(inList.path("key").asText()).endsWith("-***");
    assertThat(admin().get("/api/v1/preauthkey").text()).doesNotContain(key.path("key").asText());
  }

  @Test
  void canCreateAKeyForAUserByName() {
    JsonNode user = createUser(unique("john.doe"));

    Http.Answer created =
        admin().post("/api/v1/preauthkey", "{\"user\":\"" + user.path("name").asText() + "\"}");

    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().path("preAuthKey").path("user").path("id").asText())
        .isEqualTo(user.path("id").asText());
  }

  @Test
  void canCreateATagsOnlyKey() {
    declareTags();

    Http.Answer created = admin().post("/api/v1/preauthkey", "{\"acl_tags\":[\"tag:server\"]}");

    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonNode key = created.json().path("preAuthKey");
    assertThat(key.path("aclTags").get(0).asText()).isEqualTo("tag:server");
    assertThat(key.path("user").isNull() || key.path("user").isMissingNode()).isTrue();
  }

  @Test
  void canExpireAndDeleteAKey() {
    JsonNode user = createUser(unique("frank"));
    String id =
        admin()
            .post("/api/v1/preauthkey", "{\"user\":\"" + user.path("id").asText() + "\"}")
            .json()
            .path("preAuthKey")
            .path("id")
            .asText();

    Http.Answer expired = admin().post("/api/v1/preauthkey/expire", "{\"id\":\"" + id + "\"}");
    assertThat(expired.status()).as(expired.toString()).isEqualTo(200);
    Http.Answer deleted = admin().delete("/api/v1/preauthkey?id=" + id);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);

    assertThat(listed(id)).isNull();
  }

  @Test
  void cannotCreateAKeyForAUserThatDoesNotExist() {
    int before = admin().get("/api/v1/preauthkey").json().path("preAuthKeys").size();

    Http.Answer refused =
        admin().post("/api/v1/preauthkey", "{\"user\":\"nobody-" + unique("x") + "\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
    assertThat(admin().get("/api/v1/preauthkey").json().path("preAuthKeys").size())
        .isEqualTo(before);
  }

  @Test
  void cannotCreateAKeyWithATagThePolicyDoesNotDeclareAsNodesTagCannotApplyIt() {
    declareTags();
    int before = admin().get("/api/v1/preauthkey").json().path("preAuthKeys").size();

    Http.Answer refused =
        admin().post("/api/v1/preauthkey", "{\"aclTags\":[\"tag:server\",\"tag:nowhere\"]}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.isProblem()).isTrue();
    assertThat(refused.text()).contains("tag:nowhere is not declared in the policy's tagOwners");
    assertThat(admin().get("/api/v1/preauthkey").json().path("preAuthKeys").size())
        .isEqualTo(before);
  }

  @Test
  void cannotCreateAKeyWithAMalformedTag() {
    int before = admin().get("/api/v1/preauthkey").json().path("preAuthKeys").size();

    Http.Answer refused = admin().post("/api/v1/preauthkey", "{\"aclTags\":[\"server\"]}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(admin().get("/api/v1/preauthkey").json().path("preAuthKeys").size())
        .isEqualTo(before);
    assertThat(refused.isProblem()).isTrue();
  }

  @Test
  void cannotExpireWithoutAnId() {
    assertThat(admin().post("/api/v1/preauthkey/expire", "{}").status()).isEqualTo(400);
    assertThat(admin().delete("/api/v1/preauthkey").status()).isEqualTo(400);
    assertThat(admin().post("/api/v1/preauthkey/expire", "{\"id\":").status()).isEqualTo(400);
  }

  @Test
  void cannotExpireAKeyThatDoesNotExist() {
    Http.Answer refused = admin().post("/api/v1/preauthkey/expire", "{\"id\":\"99999999\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
  }
}
