// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.node.AdvertiseNodeRoutesCommand;
import io.ledgerscale.domain.api.node.NodeRoutesAdvertisedEvent;
import io.ledgerscale.domain.api.node.NodeRoutesApprovedEvent;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.SetNodeTagsCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server approves what autoApprovers allow, as itself, when routes are advertised, tags change
 * or the policy does.
 */
class RouteAutoApprovalTest {
  private static final String ROUTERS_APPROVED =
      """
      {
        "tagOwners": {"tag:router": ["alice@"]},
        "autoApprovers": {"routes": {"10.20.0.0/16": ["tag:router"]}, "exitNode": ["alice@"]},
      }
      """;
  private static final String NOBODY_APPROVED =
      """
      {"tagOwners": {"tag:router": ["alice@"]}}
      """;

  private final InJvmLedger ledger = new InJvmLedger();
  private IssuedPreAuthKey aliceKey;

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    aliceKey = ledger.send(new CreatePreAuthKeyCommand(1L, true, false, null, List.of()));
    ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:1", "nodekey:1", "router", List.of(), aliceKey.key(), null));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void shouldApproveAnAdvertisedRouteAsTheSystemOnceTheNodeIsTagged() {
    ledger.send(new SetPolicyCommand(ROUTERS_APPROVED));
    ledger.send(new AdvertiseNodeRoutesCommand(1, List.of("10.20.1.0/24", "192.168.0.0/24")));
    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(
            new NodeRoutesAdvertisedEvent(1, List.of(), List.of("10.20.1.0/24", "192.168.0.0/24")));
    // untagged, alice's node is not a tag:router: nothing to approve (the exit node rule does not
    // apply)
    pause();
    assertThat(approvals()).isEmpty();

    ledger.send(
        new SetNodeTagsCommand(1, List.of("tag:router")),
        AuditMetadata.system(Origin.SYSTEM, "test"));

    await(() -> approvals().size() == 1);
    DomainEventMessage<?> approved = approvals().get(0);
    assertThat(approved.getPayload())
        .isEqualTo(
            new NodeRoutesApprovedEvent(
                1, List.of(), List.of("10.20.1.0/24"), NodeRoutesApprovedEvent.AUTO_APPROVERS));
    assertThat(approved.getMetaData().get(AuditMetadata.ACTOR_TYPE))
        .isEqualTo(ActorType.SYSTEM.name());
    assertThat(approved.getMetaData().get(AuditMetadata.ORIGIN)).isEqualTo(Origin.SYSTEM.name());
  }

  @Test
  void shouldApproveWhatANewPolicyAllowsForRoutesAlreadyAdvertised() {
    ledger.send(new SetPolicyCommand(NOBODY_APPROVED));
    ledger.send(new AdvertiseNodeRoutesCommand(1, List.of("0.0.0.0/0", "::/0")));
    pause();
    assertThat(approvals()).isEmpty();

    ledger.send(new SetPolicyCommand(ROUTERS_APPROVED));

    await(() -> approvals().size() == 1);
    assertThat(approvals().get(0).getPayload())
        .isEqualTo(
            new NodeRoutesApprovedEvent(
                1,
                List.of(),
                List.of("0.0.0.0/0", "::/0"),
                NodeRoutesApprovedEvent.AUTO_APPROVERS));
  }

  @Test
  void shouldRecordNothingWhenTheSameRoutesAreAdvertisedAgain() {
    ledger.send(new AdvertiseNodeRoutesCommand(1, List.of("10.20.1.0/24")));
    int events = ledger.payloads(AggregateIds.node(1)).size();

    ledger.send(new AdvertiseNodeRoutesCommand(1, List.of("10.20.1.0/24", "10.20.1.0/24")));

    assertThat(ledger.payloads(AggregateIds.node(1))).hasSize(events);
  }

  @Test
  void cannotAdvertiseARouteThatIsNotACidr() {
    assertThatThrownBy(
            () -> ledger.send(new AdvertiseNodeRoutesCommand(1, List.of("10.20.1.1/24"))))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessageContaining("host bits are set");
  }

  private List<DomainEventMessage<?>> approvals() {
    return ledger.stream(AggregateIds.node(1)).stream()
        .filter(m -> m.getPayload() instanceof NodeRoutesApprovedEvent)
        .toList();
  }

  /** Long enough for the auto-approval processor to act on what is already stored. */
  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s for auto-approval").isLessThan(deadline);
      pause();
    }
  }
}
