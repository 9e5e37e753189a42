// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerInfoApiIT extends RunningServer {

  @Test
  void canReportDatabaseConnectivity() {
    Http.Answer health = admin().get("/api/v1/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("databaseConnectivity").asBoolean()).isTrue();
  }

  @Test
  void cannotReadHealthWithoutAKey() {
    assertThat(anonymous().get("/api/v1/health").status()).isEqualTo(401);
  }

  @Test
  void canServeTheOpenApiDocumentWithoutAKey() {
    Http.Answer spec = anonymous().get("/api/v1/openapi.json");

    assertThat(spec.status()).as(spec.toString()).isEqualTo(200);
    assertThat(spec.json().path("paths").has("/api/v1/user")).isTrue();
    assertThat(spec.json().path("paths").has("/api/v1/node/{nodeId}/approve_routes")).isTrue();
  }

  @Test
  void shouldAnswerUnknownApiPathsWithAProblem() {
    Http.Answer missing = admin().get("/api/v1/no-such-thing");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.isProblem()).as(missing.toString()).isTrue();
  }
}
