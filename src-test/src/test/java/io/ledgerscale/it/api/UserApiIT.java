// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserApiIT extends RunningServer {

  @Test
  void canCreateAUserAndGetHeadscalesShapeBack() {
    String name = unique("alice");
    Http.Answer created =
        admin()
            .post(
                "/api/v1/user",
                "{\"name\":\""
                    + name
                    + "\",\"display_name\":\"Alice A\",\"email\":\"alice@example.com\"}");

    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    JsonNode user = created.json().path("user");
    assertThat(user.path("id").isTextual()).isTrue();
    assertThat(Long.parseLong(user.path("id").asText())).isPositive();
    assertThat(user.path("name").asText()).isEqualTo(name);
    assertThat(user.path("displayName").asText()).isEqualTo("Alice A");
    assertThat(user.path("email").asText()).isEqualTo("alice@example.com");
    assertThat(Instant.parse(user.path("createdAt").asText()))
        .isBefore(Instant.now().plusSeconds(1));
    assertThat(user.has("profilePicUrl")).isTrue();
  }

  @Test
  void canListUsersFilteredByNameAndId() {
    JsonNode user = createUser(unique("bob"));

    JsonNode byName =
        admin().get("/api/v1/user?name=" + user.path("name").asText()).json().path("users");
    JsonNode byId = admin().get("/api/v1/user?id=" + user.path("id").asText()).json().path("users");
    JsonNode all = admin().get("/api/v1/user").json().path("users");

    assertThat(byName).hasSize(1);
    assertThat(byName.get(0).path("id").asText()).isEqualTo(user.path("id").asText());
    assertThat(byId).hasSize(1);
    assertThat(all.size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void canRenameAndDeleteAUser() {
    JsonNode user = createUser(unique("carol"));
    String id = user.path("id").asText();
    String newName = unique("caroline");

    Http.Answer renamed = admin().post("/api/v1/user/" + id + "/rename/" + newName, null);
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.json().path("user").path("name").asText()).isEqualTo(newName);

    Http.Answer deleted = admin().delete("/api/v1/user/" + id);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().isEmpty()).isTrue();
    assertThat(admin().get("/api/v1/user?id=" + id).json().path("users")).isEmpty();
  }

  @Test
  void cannotCreateAUserWithoutAKeyAndNothingChanges() {
    String name = unique("mallory");

    Http.Answer refused = anonymous().post("/api/v1/user", "{\"name\":\"" + name + "\"}");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.isProblem()).as(refused.toString()).isTrue();
    assertThat(refused.json().path("status").asInt()).isEqualTo(401);
    assertThat(admin().get("/api/v1/user?name=" + name).json().path("users")).isEmpty();
  }

  @Test
  void cannotCreateAUserWithAnUnknownOrMalformedKey() {
    String name = unique("trudy");

    Http.Answer unknown =
        anonymous()
            .bearer("lskey-api-aaaaaaaaaaaa-bm90LWEtcmVhbC1zZWNyZXQ")
            .post("/api/v1/user", "{\"name\":\"" + name + "\"}");
    Http.Answer garbage =
        anonymous().bearer("hello").post("/api/v1/user", "{\"name\":\"" + name + "\"}");
    String realPrefix = initialApiKey().substring(0, "lskey-api-".length() + 12);
    Http.Answer wrongSecret =
        anonymous()
            .bearer(realPrefix + "-d3Jvbmctc2VjcmV0")
            .post("/api/v1/user", "{\"name\":\"" + name + "\"}");

    assertThat(unknown.status()).isEqualTo(401);
    assertThat(garbage.status()).isEqualTo(401);
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(unknown.text()).doesNotContain("bm90LWEtcmVhbC1zZWNyZXQ");
    assertThat(admin().get("/api/v1/user?name=" + name).json().path("users")).isEmpty();
  }

  @Test
  void cannotCreateAUserFromMalformedJson() {
    Http.Answer refused = admin().post("/api/v1/user", "{\"name\": \"x\",");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.isProblem()).as(refused.toString()).isTrue();
    assertThat(admin().get("/api/v1/user?name=x").json().path("users")).isEmpty();
  }

  @Test
  void cannotCreateAUserWithoutAName() {
    Http.Answer refused = admin().post("/api/v1/user", "{\"email\":\"nobody@example.com\"}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.isProblem()).isTrue();
  }

  @Test
  void cannotCreateTheSameNameTwice() {
    JsonNode user = createUser(unique("dave"));

    Http.Answer refused =
        admin().post("/api/v1/user", "{\"name\":\"" + user.path("name").asText() + "\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.isProblem()).isTrue();
    assertThat(refused.json().path("detail").asText()).isNotBlank();
    assertThat(admin().get("/api/v1/user?name=" + user.path("name").asText()).json().path("users"))
        .hasSize(1);
  }

  @Test
  void cannotRenameOrDeleteAUserThatDoesNotExist() {
    Http.Answer rename = admin().post("/api/v1/user/987654321/rename/" + unique("ghost"), null);
    Http.Answer delete = admin().delete("/api/v1/user/987654321");

    assertThat(rename.status()).as(rename.toString()).isEqualTo(404);
    assertThat(delete.status()).as(delete.toString()).isEqualTo(404);
    assertThat(delete.isProblem()).isTrue();
  }

  @Test
  void cannotUseANonNumericUserId() {
    Http.Answer refused = admin().delete("/api/v1/user/abc");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.isProblem()).as(refused.toString()).isTrue();
  }

  @Test
  void cannotSendMoreThanOneMebibyte() {
    String big = "{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";

    Http.Answer refused = admin().post("/api/v1/user", big);

    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.isProblem()).as(refused.contentType()).isTrue();
  }
}
