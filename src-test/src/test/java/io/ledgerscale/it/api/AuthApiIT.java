// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class AuthApiIT extends RunningServer {

  private JsonNode pending(String authId) {
    for (JsonNode r : admin().get("/api/v1/registrations").json().path("registrations")) {
      if (r.path("authId").asText().equals(authId)) {
        return r;
      }
    }
    return null;
  }

  @Test
  void canSeeAPendingRegistrationAndRegisterItForAUser() {
    JsonNode user = createUser(unique("ivan"));
    String hostname = unique("desktop");
    String authId = requestRegistration(hostname);
    assertThat(authId).startsWith("lskey-authreq-");
    JsonNode waiting = pending(authId);
    assertThat(waiting).isNotNull();
    assertThat(waiting.path("hostname").asText()).isEqualTo(hostname);
    assertThat(waiting.path("status").asText()).isEqualTo("PENDING");

    Http.Answer registered =
        admin()
            .post(
                "/api/v1/auth/register",
                "{\"user\":\"" + user.path("name").asText() + "\",\"auth_id\":\"" + authId + "\"}");

    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    JsonNode node = registered.json().path("node");
    assertThat(node.path("user").path("id").asText()).isEqualTo(user.path("id").asText());
    assertThat(node.path("registerMethod").asText()).isEqualTo("REGISTER_METHOD_CLI");
  }

  @Test
  void canRegisterTheLegacyWayWithNodesRegister() {
    JsonNode user = createUser(unique("judy"));
    String authId = requestRegistration(unique("phone"));

    Http.Answer registered =
        admin()
            .post(
                "/api/v1/node/register?user=" + user.path("name").asText() + "&key=" + authId,
                null);

    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    assertThat(registered.json().path("node").path("user").path("name").asText())
        .isEqualTo(user.path("name").asText());
  }

  @Test
  void canRegisterByMachineKeyAsOlderGuidesPrintIt() {
    JsonNode user = createUser(unique("kim"));
    String machineKey = key("mkey:");
    requestRegistration(unique("nas"), machineKey);

    Http.Answer registered =
        admin()
            .post(
                "/api/v1/node/register?user=" + user.path("name").asText() + "&key=" + machineKey,
                null);

    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    assertThat(registered.json().path("node").path("machineKey").asText()).isEqualTo(machineKey);
  }

  @Test
  void canRejectAPendingRegistration() {
    String authId = requestRegistration(unique("tablet"));

    Http.Answer rejected = admin().post("/api/v1/auth/reject", "{\"authId\":\"" + authId + "\"}");

    assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
    JsonNode user = createUser(unique("ken"));
    Http.Answer late =
        admin()
            .post(
                "/api/v1/auth/register",
                "{\"user\":\"" + user.path("name").asText() + "\",\"authId\":\"" + authId + "\"}");
    assertThat(late.status()).as(late.toString()).isIn(404, 409);
  }

  @Test
  void cannotRegisterAnUnknownAuthId() {
    JsonNode user = createUser(unique("leo"));

    Http.Answer refused =
        admin()
            .post(
                "/api/v1/auth/register",
                "{\"user\":\""
                    + user.path("name").asText()
                    + "\",\"authId\":\"lskey-authreq-doesnotexist000000000000\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
    assertThat(refused.isProblem()).isTrue();
  }

  @Test
  void cannotRegisterWithoutAUserOrAnAuthId() {
    assertThat(admin().post("/api/v1/auth/register", "{\"authId\":\"lskey-authreq-x\"}").status())
        .isEqualTo(400);
    assertThat(admin().post("/api/v1/auth/register", "{\"user\":\"x\"}").status()).isEqualTo(400);
    assertThat(admin().post("/api/v1/auth/reject", "not json").status()).isEqualTo(400);
  }

  @Test
  void cannotApproveOrRejectAnUnknownSshCheck() {
    // an SSH check id goes to the SSH check, never to a registration
    for (String action : java.util.List.of("approve", "reject")) {
      Http.Answer refused =
          admin()
              .post(
                  "/api/v1/auth/" + action,
                  "{\"authId\":\"lskey-sshcheck-doesnotexist00000000000\"}");

      assertThat(refused.status()).as(action + " " + refused).isEqualTo(404);
      assertThat(refused.toString()).as(action).containsIgnoringCase("SshCheck");
    }
  }
}
