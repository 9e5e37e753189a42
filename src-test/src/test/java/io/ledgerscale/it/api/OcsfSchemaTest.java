// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerscale.domain.ledger.LedgerEntry;
import io.ledgerscale.domain.ledger.LedgerExport;
import io.ledgerscale.domain.ledger.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The OCSF description catches what the schema forbids, and the export's lines of each class (the
 * writer itself, fed entries as the server would) pass it; {@link AuditLedgerIT} checks the lines
 * of a real run.
 */
class OcsfSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String line(String action, String targetType, String payload, String ip) {
    return lineOf(
        action,
        targetType,
        payload,
        new LedgerEntry.Readable(
            action,
            "what happened",
            "API_KEY",
            "abc123",
            "ops",
            "REST",
            ip,
            "corr-1",
            targetType,
            "7"));
  }

  private static String lineOf(
      String action, String targetType, String payload, LedgerEntry.Readable readable) {
    StoredEvent e =
        new StoredEvent(
            5,
            "8f0c6a55-8a44-4d6c-9a0d-0d6f0c1f2b11",
            targetType + "-7",
            0,
            "Node",
            "io.ledgerscale.domain.api.node." + action,
            "1",
            "2026-12-02T12:00:00Z",
            payload.getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8));
    return LedgerExport.ocsf(
        new LedgerEntry(
            4, e, new byte[32], new byte[32], new byte[32], 5, List.of(new byte[32]), readable),
        "origin\n5\nroot\n");
  }

  @Test
  void theExportsLinesOfEveryClassAreValid() throws Exception {
    List<String> lines =
        List.of(
            line("NodeRenamedEvent", "node", "{\"nodeId\":7}", "192.0.2.1"),
            line("CommandRefusedEvent", "node", "{}", "2001:db8::1"),
            line("UserCreatedEvent", "user", "{}", "192.0.2.1"),
            line("ApiKeyExpiredEvent", "apikey", "{}", null),
            // the scheduler and the configuration record an empty source address
            line("NodeDeletedEvent", "node", "{}", ""),
            line(
                "NodeTagsChangedEvent",
                "node",
                "{\"nodeId\":7,\"oldTags\":[],\"newTags\":[\"tag:web\"]}",
                "192.0.2.1"),
            line(
                "NodeTagsChangedEvent",
                "node",
                "{\"nodeId\":7,\"oldTags\":[\"tag:web\"],\"newTags\":[]}",
                null),
            line(
                "NodeOwnershipTransferredEvent",
                "node",
                "{\"nodeId\":7,\"fromUserId\":1,\"toUserId\":2}",
                null),
            // what the trail did not describe: no actor, origin or target known
            lineOf(
                "TailnetNameReservedEvent",
                null,
                "{}",
                new LedgerEntry.Readable(
                    null, null, null, null, null, null, null, null, null, null)));
    for (String l : lines) {
      assertThat(OcsfSchema.check(l)).as(l).isEmpty();
    }
    assertThat(JSON.readTree(lines.get(5)).path("class_uid").asInt()).isEqualTo(3005);
    assertThat(JSON.readTree(lines.get(5)).path("privileges").toString())
        .isEqualTo("[\"tag:web\"]");
    assertThat(JSON.readTree(lines.get(6)).path("activity_id").asInt()).isEqualTo(2);
  }

  @Test
  void whatTheSchemaForbidsIsNamed() throws Exception {
    String api = line("NodeRenamedEvent", "node", "{}", "192.0.2.1");
    String access =
        line("NodeTagsChangedEvent", "node", "{\"newTags\":[\"tag:web\"]}", "192.0.2.1");
    assertThat(broken(api, o -> o.remove("src_endpoint"))).contains("src_endpoint: required");
    assertThat(broken(api, o -> ((ObjectNode) o.path("api")).remove("operation")))
        .contains("api.operation: required");
    assertThat(broken(api, o -> o.put("type_uid", 600301)))
        .anyMatch(v -> v.startsWith("type_uid:"));
    assertThat(broken(api, o -> o.put("activity_id", 7).put("type_uid", 600307)))
        .anyMatch(v -> v.startsWith("activity_id: 7 is not one of"));
    assertThat(broken(api, o -> o.put("severity_id", 9)))
        .anyMatch(v -> v.startsWith("severity_id: 9"));
    assertThat(broken(api, o -> o.put("status", "Failure")))
        .anyMatch(v -> v.startsWith("status: \"Failure\" but status_id 1"));
    assertThat(broken(api, o -> o.put("time", "2026-12-02")))
        .contains("time: expected timestamp_t, got STRING");
    assertThat(broken(api, o -> o.putNull("message"))).contains("message: null");
    assertThat(broken(api, o -> o.put("user", "x")))
        .anyMatch(v -> v.startsWith("user: not an attribute"));
    assertThat(broken(api, o -> ((ObjectNode) o.path("src_endpoint")).put("ip", "not-an-ip")))
        .anyMatch(v -> v.startsWith("src_endpoint.ip:"));
    assertThat(broken(api, o -> ((ObjectNode) o.path("metadata")).remove("product")))
        .contains("metadata.product: required");
    assertThat(
            broken(
                api, o -> ((ObjectNode) o.path("metadata").path("product")).remove("vendor_name")))
        .contains("metadata.product.vendor_name: required");
    assertThat(
            broken(
                api,
                o -> {
                  ObjectNode user = (ObjectNode) o.path("actor").path("user");
                  user.remove("uid");
                  user.remove("name");
                }))
        .contains("actor.user: needs at least one of [account, name, uid]");
    assertThat(broken(api, o -> ((ObjectNode) o.path("metadata")).put("version", "1.3.0")))
        .anyMatch(v -> v.startsWith("metadata.version"));
    assertThat(broken(access, o -> o.remove("privileges"))).contains("privileges: required");
    assertThat(broken(access, o -> o.putObject("src_endpoint").put("ip", "192.0.2.1")))
        .anyMatch(v -> v.startsWith("src_endpoint: not an attribute"));
    assertThat(broken(access, o -> ((ObjectNode) o.path("metadata")).remove("profiles")))
        .anyMatch(v -> v.startsWith("actor: not an attribute"));
    assertThat(broken(access, o -> o.put("class_uid", 3999))).hasSize(1);
  }

  private static List<String> broken(String line, Consumer<ObjectNode> change) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(line);
    change.accept(o);
    List<String> violations = OcsfSchema.check(o.toString());
    assertThat(violations).as("a broken line is invalid").isNotEmpty();
    return violations;
  }
}
