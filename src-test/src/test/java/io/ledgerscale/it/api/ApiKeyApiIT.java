// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class ApiKeyApiIT extends RunningServer {

  private String newKey() {
    Http.Answer created =
        admin()
            .post(
                "/api/v1/apikey",
                "{\"expiration\":\"" + Instant.now().plus(1, ChronoUnit.DAYS) + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    return created.json().path("apiKey").asText();
  }

  private static String prefixOf(String key) {
    return key.substring("lskey-api-".length(), "lskey-api-".length() + 12);
  }

  @Test
  void canCreateAKeyThatThenWorks() {
    String key = newKey();

    assertThat(key).startsWith("lskey-api-");
    Http.Answer withIt = anonymous().bearer(key).get("/api/v1/user");
    assertThat(withIt.status()).isEqualTo(200);
  }

  @Test
  void canListKeysWithoutTheirSecrets() {
    String key = newKey();

    JsonNode keys = admin().get("/api/v1/apikey").json().path("apiKeys");

    // the secret follows "lskey-api-<prefix>-"; base64url, so it may hold a '-' of its own
    String secret = key.substring("lskey-api-".length() + prefixOf(key).length() + 1);
    assertThat(keys.toString()).doesNotContain(secret);
    assertThat(keys.findValuesAsText("prefix")).contains("lskey-api-" + prefixOf(key) + "-***");
    JsonNode listed = null;
    for (JsonNode k : keys) {
      if (k.path("prefix").asText().contains(prefixOf(key))) {
        listed = k;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.path("id").isTextual()).isTrue();
    assertThat(Instant.parse(listed.path("expiration").asText())).isAfter(Instant.now());
  }

  @Test
  void shouldRecordUseAtMostOnceAMinute() throws Exception {
    String key = newKey();
    for (int i = 0; i < 3; i++) {
      assertThat(anonymous().bearer(key).get("/api/v1/user").status()).isEqualTo(200);
    }
    String id = null;
    for (JsonNode k : admin().get("/api/v1/apikey").json().path("apiKeys")) {
      if (k.path("prefix").asText().contains(prefixOf(key))) {
        id = k.path("id").asText();
      }
    }
    // a key's use is bookkeeping: kept in the trail, listed when asked for
    String trail =
        "/api/v1/audit?action=ApiKeyUsedEvent&target_type=apikey&bookkeeping=true&target_id=" + id;

    awaitTrue(() -> admin().get(trail).json().path("entries").size() >= 1);
    Thread.sleep(1500);

    JsonNode uses = admin().get(trail).json().path("entries");
    assertThat(uses).hasSize(1);
    assertThat(uses.get(0).path("actorId").asText()).isEqualTo(prefixOf(key));
  }

  @Test
  void cannotUseAnExpiredKeyAndNothingChanges() {
    String key = newKey();
    Http.Answer expired =
        admin().post("/api/v1/apikey/expire", "{\"prefix\":\"" + prefixOf(key) + "\"}");
    assertThat(expired.status()).as(expired.toString()).isEqualTo(200);
    String name = unique("after-expiry");

    Http.Answer refused =
        anonymous().bearer(key).post("/api/v1/user", "{\"name\":\"" + name + "\"}");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.isProblem()).isTrue();
    assertThat(admin().get("/api/v1/user?name=" + name).json().path("users")).isEmpty();
  }

  @Test
  void cannotUseADeletedKey() {
    String key = newKey();
    JsonNode keys = admin().get("/api/v1/apikey").json().path("apiKeys");
    String id = null;
    for (JsonNode k : keys) {
      if (k.path("prefix").asText().contains(prefixOf(key))) {
        id = k.path("id").asText();
      }
    }

    Http.Answer deleted = admin().delete("/api/v1/apikey?id=" + id);

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(anonymous().bearer(key).get("/api/v1/user").status()).isEqualTo(401);
  }

  @Test
  void canDeleteAKeyByItsMaskedPrefix() {
    String key = newKey();

    Http.Answer deleted = admin().delete("/api/v1/apikey/lskey-api-" + prefixOf(key) + "-***");

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(anonymous().bearer(key).get("/api/v1/user").status()).isEqualTo(401);
  }

  @Test
  void cannotExpireAKeyNamedTwiceOrNotAtAll() {
    assertThat(admin().post("/api/v1/apikey/expire", "{}").status()).isEqualTo(400);
    assertThat(admin().post("/api/v1/apikey/expire", "{\"prefix\":\"abc\",\"id\":\"3\"}").status())
        .isEqualTo(400);
  }

  @Test
  void cannotExpireAKeyThatDoesNotExist() {
    Http.Answer refused = admin().post("/api/v1/apikey/expire", "{\"prefix\":\"zzzzzzzzzzzz\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
  }
}
