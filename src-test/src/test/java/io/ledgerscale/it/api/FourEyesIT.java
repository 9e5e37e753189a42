// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.it.e2e.support.Dirs;
import io.ledgerscale.server.LedgerscaleApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Four-eyes on policy changes (issue 11): a change is held as a request, the requester cannot
 * approve it (refused and recorded), another admin can reject it or approve it (then it runs, as
 * theirs), and a request nobody decided in time expires, recorded in the trail by the server.
 */
@SpringBootTest(
    classes = LedgerscaleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ledgerscale.config=" + FourEyesIT.CONFIG)
class FourEyesIT {
  static final String DIR = "target/it-four-eyes";
  static final String CONFIG = DIR + "/config.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIFETIME = Duration.ofSeconds(20);

  static {
    Path dir = Dirs.fresh(Path.of(DIR));
    try {
      Files.writeString(
          Path.of(CONFIG),
          """
          server_url: http://127.0.0.1:8080
          listen_addr: 127.0.0.1:0
          metrics_listen_addr: ""
          data_dir: %s/data
          database:
            type: embedded
            embedded:
              port: 0
          audit_history:
            four_eyes:
              policy_changes: true
              request_lifetime: %ds
              expiry_check_interval: 1s
          """
              .formatted(dir.toAbsolutePath(), LIFETIME.toSeconds()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;

  private Http first() {
    return new Http("http://127.0.0.1:" + port).bearer(initialApiKey());
  }

  private static String initialApiKey() {
    try {
      return Files.readString(Path.of(DIR, "data", "initial-api-key"), StandardCharsets.UTF_8)
          .trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String prefixOf(String apiKey) {
    return apiKey.substring("lskey-api-".length(), "lskey-api-".length() + 12);
  }

  private static String policyJson(String comment) {
    return JSON.createObjectNode()
        .put(
            "policy",
            "// "
                + comment
                + "\n{\"acls\": [{\"action\": \"accept\", \"src\": [\"*\"], \"dst\": [\"*:*\"]}]}")
        .toString();
  }

  private String lastExpiresAt;

  private String requestChange(String comment) {
    Http.Answer held = first().put("/api/v1/policy", policyJson(comment));
    assertThat(held.status()).as(held.toString()).isEqualTo(202);
    lastExpiresAt = held.json().path("approvalRequest").path("expiresAt").asText();
    return held.json().path("approvalRequest").path("id").asText();
  }

  @Test
  void shouldHoldAChangeUntilAnotherAdminApprovesItAndRefuseTheRequestersOwnApproval()
      throws Exception {
    Http.Answer created = first().post("/api/v1/apikey", "{}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    String secondKey = created.json().path("apiKey").asText();
    Http second = new Http("http://127.0.0.1:" + port).bearer(secondKey);

    String late = requestChange("nobody decides this one");
    String lateExpiresAt = lastExpiresAt;

    String rejected = requestChange("rejected change");
    Http.Answer self = first().post("/api/v1/approvals/" + rejected + "/approve", null);
    assertThat(self.status()).as(self.toString()).isEqualTo(403);
    assertThat(self.text()).contains("four-eyes");
    Http.Answer reject =
        second.post("/api/v1/approvals/" + rejected + "/reject", "{\"reason\":\"change freeze\"}");
    assertThat(reject.status()).as(reject.toString()).isEqualTo(200);
    assertThat(second.post("/api/v1/approvals/" + rejected + "/approve", null).status())
        .isEqualTo(409);

    String approved = requestChange("approved change");
    assertThat(first().get("/api/v1/policy").text()).doesNotContain("approved change");
    await(
        () -> first().get("/api/v1/approvals").text().contains(approved),
        "the pending list shows the request");
    Http.Answer approve = second.post("/api/v1/approvals/" + approved + "/approve", null);
    assertThat(approve.status()).as(approve.toString()).isEqualTo(200);
    await(
        () -> first().get("/api/v1/policy").text().contains("approved change"),
        "the approved policy is in force");

    await(
        () ->
            audit("action=CommandRefusedEvent&target_id=" + rejected).stream()
                .anyMatch(e -> e.path("summary").asText().contains("four-eyes")),
        "the self-approval is in the trail");
    JsonNode refusal =
        audit("action=CommandRefusedEvent&target_id=" + rejected).stream()
            .filter(e -> e.path("summary").asText().contains("four-eyes"))
            .findFirst()
            .orElseThrow();
    assertThat(refusal.path("actorId").asText()).isEqualTo(prefixOf(initialApiKey()));
    await(() -> !audit("action=PolicyChangedEvent").isEmpty(), "the policy change is in the trail");
    assertThat(audit("action=PolicyChangedEvent").get(0).path("actorId").asText())
        .isEqualTo(prefixOf(secondKey));

    // nobody touches the request: its expiry is recorded all the same, by the scheduler
    await(
        () -> !audit("action=ApprovalRequestExpiredEvent&target_id=" + late).isEmpty(),
        "the expiry is in the trail");
    JsonNode expiry = audit("action=ApprovalRequestExpiredEvent&target_id=" + late).get(0);
    assertThat(expiry.path("origin").asText()).isEqualTo("SCHEDULER");
    assertThat(expiry.path("summary").asText()).contains("expired undecided");
    assertThat(Instant.parse(expiry.path("timestamp").asText()))
        .isAfterOrEqualTo(Instant.parse(lateExpiresAt));
    Http.Answer tooLate = second.post("/api/v1/approvals/" + late + "/approve", null);
    assertThat(tooLate.status()).as(tooLate.toString()).isEqualTo(409);
    assertThat(tooLate.text()).contains("expired");
    JsonNode all = first().get("/api/v1/approvals?all=true").json().path("approvals");
    assertThat(status(all, late)).isEqualTo("EXPIRED");
    assertThat(status(all, rejected)).isEqualTo("REJECTED");
    assertThat(status(all, approved)).isEqualTo("APPROVED");
    assertThat(first().get("/api/v1/approvals").json().path("approvals")).isEmpty();
    assertThat(audit("action=ApprovalRequestExpiredEvent&target_id=" + late))
        .as("recorded once, though the sweep runs on and a decision came late")
        .hasSize(1);
    assertThat(audit("action=ApprovalRequestExpiredEvent")).hasSize(1);
    assertThat(first().get("/api/v1/policy").text()).doesNotContain("nobody decides");
  }

  private static String status(JsonNode approvals, String id) {
    return StreamSupport.stream(approvals.spliterator(), false)
        .filter(a -> id.equals(a.path("id").asText()))
        .findFirst()
        .map(a -> a.path("status").asText())
        .orElse("absent");
  }

  private java.util.List<JsonNode> audit(String query) {
    Http.Answer answer = first().get("/api/v1/audit?" + query);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return StreamSupport.stream(answer.json().path("entries").spliterator(), false).toList();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 60 s: " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
