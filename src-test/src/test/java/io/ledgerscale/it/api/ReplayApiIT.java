// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ReplayApiIT extends RunningServer {

  @Test
  void canRebuildTheReadSideAndKeepEveryUser() {
    JsonNode user = createUser(unique("replayed"));

    Http.Answer started = admin().post("/api/v1/admin/replay", null);

    assertThat(started.status()).as(started.toString()).isEqualTo(200);
    assertThat(started.json().path("totalEvents").asLong()).isPositive();
    awaitTrue(() -> !admin().get("/api/v1/admin/replay").json().path("running").asBoolean());
    awaitTrue(
        () ->
            admin()
                    .get("/api/v1/user?name=" + user.path("name").asText())
                    .json()
                    .path("users")
                    .size()
                == 1);
  }

  @Test
  void cannotReplayWithoutAKey() {
    Http.Answer refused = anonymous().post("/api/v1/admin/replay", null);

    assertThat(refused.status()).isEqualTo(401);
  }
}
