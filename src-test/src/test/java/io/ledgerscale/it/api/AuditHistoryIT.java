// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.gateway.key.ServerMachineKey;
import io.ledgerscale.it.map.TsHelperProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audit trail as an auditor reads it (issue 11): a client's retries of a refused login are one
 * entry with a count, and a node's own audit reports ({@code POST /machine/audit-log}, sent by
 * Tailscale's client code) are recorded with the node as actor.
 */
class AuditHistoryIT extends RunningServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired ServerMachineKey serverKey;

  @Test
  void shouldListAClientsRetriesOfARefusedLoginAsOneEntryWithACount() throws Exception {
    String hostname = unique("retrier");
    Map<String, Object> req = registerRequest(key("nodekey:"), hostname);
    req.put("Auth", Map.of("AuthKey", "lskey-auth-nosuchkey012-" + "A".repeat(43)));
    List<JsonNode> lines =
        noise(key("privkey:"), List.of(Map.entry("POST /machine/register", req)), 12);
    for (int i = 0; i < 12; i++) {
      JsonNode response = TsHelperProcess.response(lines, i);
      assertThat(response.path("body").asText()).as(response.toString()).contains("Error");
    }

    awaitTrue(
        () -> refusalsOf(hostname).stream().mapToInt(e -> e.path("count").asInt()).sum() == 12);
    List<JsonNode> entries = refusalsOf(hostname);
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("foldedIndexes")).hasSize(12);
    assertThat(entry.path("summary").asText())
        .startsWith("refused to register node with pre auth key")
        .contains("(12 times, the last at ");
  }

  @Test
  void shouldRecordANodesDisconnectReportWithTheNodeAsActor() throws Exception {
    String user = createUser(unique("owner")).path("id").asText();
    String preAuthKey = createPreAuthKey(user, null);
    String hostname = unique("reporter");
    String nodeKey = key("nodekey:");
    Map<String, Object> register = registerRequest(nodeKey, hostname);
    register.put("Auth", Map.of("AuthKey", preAuthKey));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("Version", 113);
    report.put("NodeKey", nodeKey);
    report.put("Action", "DISCONNECT_NODE");
    report.put("Details", "maintenance window " + hostname);
    Map<String, Object> unknownAction = new LinkedHashMap<>(report);
    unknownAction.put("Action", "WIPE_EVERYTHING");
    Map<String, Object> strangersKey = new LinkedHashMap<>(report);
    strangersKey.put("NodeKey", key("nodekey:"));

    List<JsonNode> lines =
        noise(
            key("privkey:"),
            List.of(
                Map.entry("POST /machine/register", register),
                Map.entry("POST /machine/audit-log", report),
                Map.entry("POST /machine/audit-log", unknownAction),
                Map.entry("POST /machine/audit-log", strangersKey)),
            1);
    assertThat(TsHelperProcess.response(lines, 0).path("body").asText())
        .contains("MachineAuthorized\":true");
    assertThat(TsHelperProcess.response(lines, 1).path("status").asInt()).isEqualTo(200);
    assertThat(TsHelperProcess.response(lines, 2).path("status").asInt()).isEqualTo(400);
    assertThat(TsHelperProcess.response(lines, 3).path("status").asInt()).isEqualTo(403);

    awaitTrue(
        () ->
            !trail("action=ClientAuditRecordedEvent&size=1000").isEmpty()
                && trail("action=ClientAuditRecordedEvent&size=1000").stream()
                    .anyMatch(e -> e.path("summary").asText().contains(hostname)));
    JsonNode entry =
        trail("action=ClientAuditRecordedEvent&size=1000").stream()
            .filter(e -> e.path("summary").asText().contains(hostname))
            .findFirst()
            .orElseThrow();
    assertThat(entry.path("actorType").asText()).isEqualTo("NODE");
    assertThat(entry.path("actorId").asText()).isEqualTo(entry.path("targetId").asText());
    assertThat(entry.path("actorName").asText()).isEqualTo(hostname);
    assertThat(entry.path("origin").asText()).isEqualTo("NODE");
    assertThat(entry.path("sourceIp").asText()).isNotBlank();
    assertThat(entry.path("summary").asText())
        .isEqualTo(
            "node "
                + entry.path("targetId").asText()
                + " reported it was disconnected: maintenance window "
                + hostname);
    assertThat(trail("action=ClientAuditRecordedEvent&size=1000").toString())
        .doesNotContain("WIPE_EVERYTHING");
  }

  @Test
  void shouldRecordWhoReadTheTrailWithTheirQuery() {
    String actor = unique("nobody");
    Http.Answer read = admin().header("X-Request-Id", actor).get("/api/v1/audit?actor=" + actor);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);

    awaitTrue(
        () ->
            trail("action=AuditTrailReadEvent&size=1000").stream()
                .anyMatch(e -> actor.equals(e.path("correlationId").asText())));
    JsonNode entry =
        trail("action=AuditTrailReadEvent&size=1000").stream()
            .filter(e -> actor.equals(e.path("correlationId").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(entry.path("actorType").asText()).isEqualTo("API_KEY");
    assertThat(entry.path("origin").asText()).isEqualTo("REST");
    assertThat(entry.path("newValues").path("query").asText())
        .isEqualTo("actor=" + actor + " page=0 size=50");
    assertThat(entry.path("summary").asText())
        .isEqualTo("read the audit trail (list actor=" + actor + " page=0 size=50): 0 record(s)");
  }

  private List<JsonNode> refusalsOf(String hostname) {
    return trail("action=CommandRefusedEvent&size=1000").stream()
        .filter(e -> hostname.equals(e.path("actorName").asText()))
        .toList();
  }

  private List<JsonNode> trail(String query) {
    Http.Answer answer = admin().get("/api/v1/audit?" + query);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return StreamSupport.stream(answer.json().path("entries").spliterator(), false).toList();
  }

  private static Map<String, Object> registerRequest(String nodeKey, String hostname) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Version", 113);
    req.put("NodeKey", nodeKey);
    req.put("Hostinfo", Map.of("Hostname", hostname));
    req.put("Expiry", "0001-01-01T00:00:00Z");
    return req;
  }

  /** One Noise connection as {@code machine}, sending each request {@code times} times in order. */
  private List<JsonNode> noise(
      String machine, List<Map.Entry<String, Map<String, Object>>> requests, int times)
      throws Exception {
    Path dir = Files.createDirectories(Path.of(DIR, "audit-history"));
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> r : requests) {
      Path body = Files.createTempFile(dir, "req-", ".json").toAbsolutePath();
      Files.write(body, JSON.writeValueAsBytes(r.getValue()));
      for (int i = 0; i < times; i++) {
        args.add("-req");
        args.add(r.getKey() + " " + body);
      }
    }
    return TsHelperProcess.startAs(
            port, serverKey.publicKeyText(), machine, args.toArray(String[]::new))
        .get(90, TimeUnit.SECONDS);
  }
}
