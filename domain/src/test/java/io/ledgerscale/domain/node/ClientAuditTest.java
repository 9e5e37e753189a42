// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.ClientAuditRecordedEvent;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.RecordClientAuditCommand;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.support.Fixtures;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientAuditTest {
  private static final Instant SENT = Instant.parse("2026-11-22T09:59:58Z");
  private static final NodeRegisteredEvent REGISTERED =
      new NodeRegisteredEvent(
          7,
          "mkey:7",
          "nodekey:7",
          "Laptop",
          "laptop",
          1L,
          List.of(),
          "100.64.0.7",
          "fd7a:115c:a1e0::7",
          RegisterMethod.AUTH_KEY,
          3L,
          false,
          null);

  private AggregateTestFixture<Node> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(Node.class);
  }

  @Test
  void canRecordADisconnectWithItsReason() {
    fixture
        .given(REGISTERED)
        .when(
            new RecordClientAuditCommand(
                7, "nodekey:7", "DISCONNECT_NODE", "going offline for maintenance", SENT))
        .expectEvents(
            new ClientAuditRecordedEvent(
                7, "nodekey:7", "DISCONNECT_NODE", "going offline for maintenance", SENT));
  }

  @Test
  void cannotSpeakForANodeWithItsOldKey() {
    fixture
        .given(REGISTERED, new NodeKeyRotatedEvent(7, "mkey:7", "nodekey:7", "nodekey:8", 3L, null))
        .when(new RecordClientAuditCommand(7, "nodekey:7", "DISCONNECT_NODE", "bye", null))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "RecordClientAuditCommand",
                "Node",
                "7",
                RefusalKind.CREDENTIAL_REJECTED,
                "not the node's current node key"));
  }

  @Test
  void cannotRecordAnUnknownActionOrADisconnectWithoutReasonOrHugeDetails() {
    for (RecordClientAuditCommand bad :
        List.of(
            new RecordClientAuditCommand(7, "nodekey:7", "WIPE_EVERYTHING", "x", null),
            new RecordClientAuditCommand(7, "nodekey:7", "DISCONNECT_NODE", " ", null),
            new RecordClientAuditCommand(7, "nodekey:7", "DISCONNECT_NODE", "x".repeat(1025), null),
            new RecordClientAuditCommand(7, "nodekey:7", "DISCONNECT_NODE", "a\u0000b", null))) {
      fixture
          .given(REGISTERED)
          .when(bad)
          .expectException(CommandRefusedException.class)
          .expectEventsMatching(
              org.axonframework.test.matchers.Matchers.exactSequenceOf(
                  org.axonframework.test.matchers.Matchers.messageWithPayload(
                      org.hamcrest.Matchers.instanceOf(CommandRefusedEvent.class)),
                  org.axonframework.test.matchers.Matchers.andNoMore()));
    }
  }

  @Test
  void cannotRecordForADeletedNode() {
    fixture
        .given(REGISTERED, new NodeDeletedEvent(7, "laptop", List.of()))
        .when(new RecordClientAuditCommand(7, "nodekey:7", "DISCONNECT_NODE", "bye", null))
        .expectException(CommandRefusedException.class);
  }
}
