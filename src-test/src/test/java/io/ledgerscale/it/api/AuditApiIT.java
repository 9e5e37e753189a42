// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditApiIT extends RunningServer {

  private JsonNode entriesFor(String query) {
    Http.Answer trail = admin().get("/api/v1/audit?" + query);
    assertThat(trail.status()).as(trail.toString()).isEqualTo(200);
    return trail.json().path("entries");
  }

  private JsonNode awaitEntries(String query) throws InterruptedException {
    JsonNode entries = entriesFor(query);
    for (int i = 0; i < 100 && entries.isEmpty(); i++) {
      Thread.sleep(50);
      entries = entriesFor(query);
    }
    return entries;
  }

  @Test
  void shouldRecordWhoCreatedAUserThroughWhichChannelAndRequest() throws Exception {
    String requestId = UUID.randomUUID().toString();
    String name = unique("audited");
    Http.Answer created =
        admin()
            .header("X-Request-Id", requestId)
            .post("/api/v1/user", "{\"name\":\"" + name + "\"}");
    String id = created.json().path("user").path("id").asText();

    JsonNode entries =
        awaitEntries("target_type=user&target_id=" + id + "&action=UserCreatedEvent");

    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    String prefix = initialApiKey().substring("lskey-api-".length(), "lskey-api-".length() + 12);
    assertThat(entry.path("actorType").asText()).isEqualTo("API_KEY");
    assertThat(entry.path("actorId").asText()).isEqualTo(prefix);
    assertThat(entry.path("origin").asText()).isEqualTo("REST");
    assertThat(entry.path("correlationId").asText()).isEqualTo(requestId);
    assertThat(entry.path("sourceIp").asText()).isNotBlank();
    assertThat(entry.toString()).doesNotContain(initialApiKey());
  }

  @Test
  void shouldRecordTheCliAsOriginWhenTheCliSaysSo() throws Exception {
    Http.Answer created =
        admin()
            .header("X-Ledgerscale-Origin", "cli")
            .post("/api/v1/user", "{\"name\":\"" + unique("via-cli") + "\"}");
    String id = created.json().path("user").path("id").asText();

    JsonNode entries = awaitEntries("target_type=user&target_id=" + id);

    assertThat(entries.get(0).path("origin").asText()).isEqualTo("CLI");
    assertThat(entries.get(0).path("actorType").asText()).isEqualTo("API_KEY");
  }

  @Test
  void shouldRecordARefusalAndNothingElse() throws Exception {
    JsonNode user = createUser(unique("twice"));
    admin().post("/api/v1/user", "{\"name\":\"" + user.path("name").asText() + "\"}");

    // other tests' refusals may already be there: wait for this one
    awaitTrue(
        () ->
            entriesFor("action=CommandRefusedEvent&size=200")
                .toString()
                .contains("CreateUserCommand"));
    JsonNode refusals = entriesFor("action=CommandRefusedEvent&size=200");

    assertThat(refusals.toString()).contains("CreateUserCommand");
  }

  @Test
  void canPageTheTrail() {
    createUser(unique("page-a"));
    createUser(unique("page-b"));

    Http.Answer first = admin().get("/api/v1/audit?page=0&size=1");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().path("entries")).hasSize(1);
    assertThat(first.json().path("total").asLong()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void cannotAskForAnImpossiblePageOrTime() {
    assertThat(admin().get("/api/v1/audit?size=0").status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/audit?page=-1").status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/audit?from=yesterday").status()).isEqualTo(400);
    assertThat(anonymous().get("/api/v1/audit").status()).isEqualTo(401);
  }
}
