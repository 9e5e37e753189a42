// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PolicyApiIT extends RunningServer {

  @Test
  void canSetThePolicyAndReadItBackVerbatim() {
    Http.Answer set = admin().put("/api/v1/policy", POLICY_JSON);

    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().path("policy").asText()).isEqualTo(POLICY);
    Http.Answer got = admin().get("/api/v1/policy");
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("policy").asText()).isEqualTo(POLICY);
    assertThat(Instant.parse(got.json().path("updatedAt").asText()))
        .isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void canCheckAValidPolicy() {
    Http.Answer checked = admin().post("/api/v1/policy/check", POLICY_JSON);

    assertThat(checked.status()).as(checked.toString()).isEqualTo(200);
  }

  @Test
  void cannotCheckOrSetAPolicyThatIsNotHuJson() {
    String before = admin().get("/api/v1/policy").text();
    String broken = "{\"policy\":\"{ this is not json\"}";

    Http.Answer set = admin().put("/api/v1/policy", broken);
    assertThat(set.status()).as(set.toString()).isEqualTo(400);
    assertThat(admin().get("/api/v1/policy").text()).isEqualTo(before);

    Http.Answer checked = admin().post("/api/v1/policy/check", broken);
    assertThat(checked.status()).as(checked.toString()).isEqualTo(400);
  }

  @Test
  void cannotSetAnEmptyPolicyOrMalformedBody() {
    assertThat(admin().put("/api/v1/policy", "{}").status()).isEqualTo(400);
    assertThat(admin().put("/api/v1/policy", "{\"policy\":").status()).isEqualTo(400);
  }

  @Test
  void cannotReadThePolicyWithoutAKey() {
    Http.Answer refused = anonymous().get("/api/v1/policy");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.text()).doesNotContain("tagOwners");
  }
}
