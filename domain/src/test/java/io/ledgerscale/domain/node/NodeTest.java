// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static io.ledgerscale.domain.support.Fixtures.NOW;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.ApproveNodeRoutesCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeTest {
  private static final Instant EXPIRY = Instant.parse("2027-01-01T00:00:00Z");
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
          EXPIRY);

  private AggregateTestFixture<Node> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(Node.class);
  }

  @Test
  void canExpireANodeNow() {
    fixture
        .given(REGISTERED)
        .when(new ExpireNodeCommand(7, null, false), ALICE_CLI)
        .expectEvents(new NodeExpiryChangedEvent(7, EXPIRY, NOW))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void shouldCarryTheExpiryOfARotatedKey() {
    Instant rotatedExpiry = Instant.parse("2027-09-01T00:00:00Z");
    fixture
        .given(
            REGISTERED,
            new NodeKeyRotatedEvent(7, "mkey:7", "nodekey:7", "nodekey:8", 3L, rotatedExpiry))
        .when(new ExpireNodeCommand(7, null, false))
        .expectEvents(new NodeExpiryChangedEvent(7, rotatedExpiry, NOW));
  }

  @Test
  void canExpireANodeAtATime() {
    Instant later = Instant.parse("2027-06-01T00:00:00Z");
    fixture
        .given(REGISTERED)
        .when(new ExpireNodeCommand(7, later, false))
        .expectEvents(new NodeExpiryChangedEvent(7, EXPIRY, later));
  }

  @Test
  void canDisableANodesExpiry() {
    fixture
        .given(REGISTERED)
        .when(new ExpireNodeCommand(7, null, true))
        .expectEvents(new NodeExpiryChangedEvent(7, EXPIRY, null));
  }

  @Test
  void cannotBothSetAndDisableExpiry() {
    fixture
        .given(REGISTERED)
        .when(new ExpireNodeCommand(7, EXPIRY, true), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ExpireNodeCommand",
                "Node",
                "7",
                RefusalKind.INVALID,
                "give an expiry or disable expiry, not both"))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void cannotExpireADeletedNode() {
    fixture
        .given(
            REGISTERED,
            new NodeDeletedEvent(7, "laptop", List.of("100.64.0.7", "fd7a:115c:a1e0::7")))
        .when(new ExpireNodeCommand(7, null, false))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ExpireNodeCommand", "Node", "7", RefusalKind.NOT_FOUND, "node 7 was deleted"));
  }

  @Test
  void cannotExpireAnUnknownNodeWhichIsNotAnAuditedRefusal() {
    // a command aimed at a stream that does not exist never reaches the aggregate: Axon answers not
    // found
    fixture
        .givenNoPriorActivity()
        .when(new ExpireNodeCommand(8, null, false))
        .expectException(AggregateNotFoundException.class)
        .expectNoEvents();
  }

  @Test
  void canApproveRoutes() {
    fixture
        .given(REGISTERED)
        .when(
            new ApproveNodeRoutesCommand(7, List.of("10.0.0.0/24", "2001:db8::/32", "10.0.0.0/24")),
            ALICE_CLI)
        .expectEvents(
            new NodeRoutesApprovedEvent(7, List.of(), List.of("10.0.0.0/24", "2001:db8::/32")))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void shouldApproveBothExitRoutesWhenOneIsApproved() {
    fixture
        .given(REGISTERED)
        .when(new ApproveNodeRoutesCommand(7, List.of("::/0")))
        .expectEvents(new NodeRoutesApprovedEvent(7, List.of(), List.of("0.0.0.0/0", "::/0")));
  }

  @Test
  void canRemoveAllRoutes() {
    fixture
        .given(REGISTERED, new NodeRoutesApprovedEvent(7, List.of(), List.of("10.0.0.0/24")))
        .when(new ApproveNodeRoutesCommand(7, List.of()))
        .expectEvents(new NodeRoutesApprovedEvent(7, List.of("10.0.0.0/24"), List.of()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.1/24",
        "10.0.0.0/33",
        "300.0.0.0/8",
        "example.com/24",
        "2001:db8::/129",
        "10.0.0.0/x",
        "fe80::1/64"
      })
  void cannotApproveInvalidRoutes(String route) {
    fixture
        .given(REGISTERED)
        .when(new ApproveNodeRoutesCommand(7, List.of("192.168.1.0/24", route)))
        .expectException(CommandRefusedException.class)
        .expectExceptionMessage(org.hamcrest.Matchers.startsWith("invalid route '" + route + "'"))
        .expectEventsMatching(
            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                org.axonframework.test.matchers.Matchers.messageWithPayload(
                    org.hamcrest.Matchers.instanceOf(CommandRefusedEvent.class)),
                org.axonframework.test.matchers.Matchers.andNoMore()));
  }
}
