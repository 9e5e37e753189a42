// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.it.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A machine presenting another machine's node key is refused, and the attempt is in the audit trail
 * with who tried, from where and in which request, as the gateway sends it for {@code tailscale up}
 * without a key.
 */
class ForeignNodeKeyAuditIT extends RunningServer {

  @Test
  void shouldAuditARegistrationRefusedForAnotherMachinesNodeKey() throws Exception {
    JsonNode user = createUser(unique("owner"));
    String preAuthKey = createPreAuthKey(user.path("id").asText(), null);
    String nodeKey = key("nodekey:");
    NodeRegistration laptop =
        commands.sendAndWait(
            new RegisterNodeWithPreAuthKeyCommand(
                key("mkey:"), nodeKey, "laptop", List.of(), preAuthKey, null),
            AuditMetadata.of(
                new Actor(ActorType.NODE, "laptop", "laptop"), Origin.NODE, "127.0.0.1", null));
    awaitTrue(() -> admin().get("/api/v1/node/" + laptop.nodeId()).status() == 200);
    String intruder = key("mkey:");
    String correlation = UUID.randomUUID().toString();

    assertThatThrownBy(
            () ->
                commands.sendAndWait(
                    new EnrollNodeCommand(
                        intruder, nodeKey, null, "intruder", List.of(), null, null),
                    AuditMetadata.of(
                        new Actor(ActorType.NODE, intruder, "intruder"),
                        Origin.NODE,
                        "203.0.113.9",
                        correlation)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("node key belongs to another machine");

    String query =
        "/api/v1/audit?action=ForeignNodeKeyRefusedEvent&target_type=node&target_id="
            + laptop.nodeId();
    awaitTrue(() -> admin().get(query).json().path("entries").size() > 0);
    JsonNode entries = admin().get(query).json().path("entries");
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("actorType").asText()).isEqualTo("NODE");
    assertThat(entry.path("actorId").asText()).isEqualTo(intruder);
    assertThat(entry.path("origin").asText()).isEqualTo("NODE");
    assertThat(entry.path("sourceIp").asText()).isEqualTo("203.0.113.9");
    assertThat(entry.path("correlationId").asText()).isEqualTo(correlation);
    assertThat(entry.path("summary").asText()).contains("node key belongs to another machine");
    // nothing else happened to the node
    assertThat(admin().get("/api/v1/node/" + laptop.nodeId()).json().toString())
        .contains(laptop.givenName());
  }
}
