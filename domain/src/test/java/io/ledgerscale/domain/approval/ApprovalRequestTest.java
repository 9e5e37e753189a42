// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.approval;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static io.ledgerscale.domain.support.Fixtures.NOW;

import io.ledgerscale.domain.api.approval.ApprovalRejectedEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestExpiredEvent;
import io.ledgerscale.domain.api.approval.ApprovalRequestedEvent;
import io.ledgerscale.domain.api.approval.DecideApprovalCommand;
import io.ledgerscale.domain.api.approval.ExpireApprovalRequestCommand;
import io.ledgerscale.domain.api.approval.FourEyesAction;
import io.ledgerscale.domain.api.approval.HeldCommands;
import io.ledgerscale.domain.api.approval.RequestApprovalCommand;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import java.time.Clock;
import java.time.ZoneOffset;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApprovalRequestTest {
  private static final MetaData BOB_REST =
      AuditMetadata.of(
          new Actor(ActorType.USER, "2", "bob"), Origin.REST, "192.0.2.11", "corr-bob");
  private static final String POLICY = "{\"acls\": []}";
  private static final ApprovalRequestedEvent REQUESTED_BY_ALICE =
      new ApprovalRequestedEvent(
          "r1",
          FourEyesAction.POLICY_CHANGES,
          HeldCommands.write(FourEyesAction.POLICY_CHANGES, new SetPolicyCommand(POLICY)),
          "set the policy",
          "USER",
          "1",
          "alice",
          NOW.plusSeconds(3600));

  private AggregateTestFixture<ApprovalRequest> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(ApprovalRequest.class);
    CommandGateway none =
        null; // a rejection or refusal never runs the held change; an approval is the IT's
    fixture.registerAnnotatedCommandHandler(
        new ApprovalDecisions(
            fixture.getRepository(), () -> none, Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @Test
  void canRequestAChangeWithTheRequesterRecorded() {
    fixture
        .givenNoPriorActivity()
        .when(
            new RequestApprovalCommand(
                "r1",
                FourEyesAction.POLICY_CHANGES,
                HeldCommands.write(FourEyesAction.POLICY_CHANGES, new SetPolicyCommand(POLICY)),
                "set the policy",
                NOW.plusSeconds(3600)),
            ALICE_CLI)
        .expectEvents(REQUESTED_BY_ALICE)
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void cannotApproveOwnRequestAndTheAttemptIsRecorded() {
    fixture
        .given(REQUESTED_BY_ALICE)
        .when(new DecideApprovalCommand("r1", true, null), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "DecideApprovalCommand",
                "Approval",
                "r1",
                RefusalKind.NOT_PERMITTED,
                "four-eyes: a change cannot be approved by the admin who requested it"))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void canBeRejectedByAnotherAdmin() {
    fixture
        .given(REQUESTED_BY_ALICE)
        .when(new DecideApprovalCommand("r1", false, "not during the freeze"), BOB_REST)
        .expectEvents(new ApprovalRejectedEvent("r1", "USER", "2", "bob", "not during the freeze"))
        .expectEventsMatching(AuditMatchers.allCarry(BOB_REST));
  }

  @Test
  void cannotBeApprovedOnceRejected() {
    fixture
        .given(
            REQUESTED_BY_ALICE,
            new ApprovalRejectedEvent("r1", "USER", "2", "bob", "not during the freeze"))
        .when(new DecideApprovalCommand("r1", true, null), BOB_REST)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "DecideApprovalCommand",
                "Approval",
                "r1",
                RefusalKind.CONFLICT,
                "request r1 was already REJECTED"));
  }

  @Test
  void cannotBeDecidedOnceExpired() {
    ApprovalRequestedEvent expired =
        new ApprovalRequestedEvent(
            "r1",
            FourEyesAction.POLICY_CHANGES,
            REQUESTED_BY_ALICE.commandJson(),
            "set the policy",
            "USER",
            "1",
            "alice",
            NOW);
    // the first decision after the expiry records the expiry too, if the sweep has not
    fixture
        .given(expired)
        .when(new DecideApprovalCommand("r1", true, null), BOB_REST)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new ApprovalRequestExpiredEvent("r1", NOW),
            new CommandRefusedEvent(
                "DecideApprovalCommand",
                "Approval",
                "r1",
                RefusalKind.CONFLICT,
                "request r1 expired at " + NOW + " and can no longer be approved"));
  }

  @Test
  void cannotBeDecidedAfterTheSweepRecordedTheExpiry() {
    fixture
        .given(REQUESTED_BY_ALICE, new ApprovalRequestExpiredEvent("r1", NOW.plusSeconds(3600)))
        .when(new DecideApprovalCommand("r1", false, "too late"), BOB_REST)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "DecideApprovalCommand",
                "Approval",
                "r1",
                RefusalKind.CONFLICT,
                "request r1 expired at "
                    + NOW.plusSeconds(3600)
                    + " and can no longer be rejected"));
  }

  @Test
  void expiresOnceWhenDueAndNeverBefore() {
    MetaData sweep = AuditMetadata.system(Origin.SCHEDULER, "approval-expiry");
    ApprovalRequestedEvent due =
        new ApprovalRequestedEvent(
            "r1",
            FourEyesAction.POLICY_CHANGES,
            REQUESTED_BY_ALICE.commandJson(),
            "set the policy",
            "USER",
            "1",
            "alice",
            NOW.minusSeconds(1));
    fixture
        .given(due)
        .when(new ExpireApprovalRequestCommand("r1"), sweep)
        .expectSuccessfulHandlerExecution()
        .expectResultMessagePayload(true)
        .expectEvents(new ApprovalRequestExpiredEvent("r1", NOW.minusSeconds(1)))
        .expectEventsMatching(AuditMatchers.allCarry(sweep));
    fixture
        .given(due, new ApprovalRequestExpiredEvent("r1", NOW.minusSeconds(1)))
        .when(new ExpireApprovalRequestCommand("r1"), sweep)
        .expectResultMessagePayload(false)
        .expectNoEvents();
    fixture
        .given(REQUESTED_BY_ALICE)
        .when(new ExpireApprovalRequestCommand("r1"), sweep)
        .expectResultMessagePayload(false)
        .expectNoEvents();
    fixture
        .given(due, new ApprovalRejectedEvent("r1", "USER", "2", "bob", "no"))
        .when(new ExpireApprovalRequestCommand("r1"), sweep)
        .expectResultMessagePayload(false)
        .expectNoEvents();
  }

  @Test
  void cannotReadBackACommandOfAnotherTypeThanItsActionAllows() {
    ApprovalRequestedEvent forged =
        new ApprovalRequestedEvent(
            "r1",
            FourEyesAction.TAG_CHANGES,
            REQUESTED_BY_ALICE.commandJson(),
            "set tags",
            "USER",
            "1",
            "alice",
            NOW.plusSeconds(60));
    fixture
        .given(forged)
        .when(new DecideApprovalCommand("r1", true, null), BOB_REST)
        .expectException(CommandRefusedException.class)
        .expectEventsMatching(
            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                org.axonframework.test.matchers.Matchers.messageWithPayload(
                    org.hamcrest.Matchers.instanceOf(CommandRefusedEvent.class)),
                org.axonframework.test.matchers.Matchers.andNoMore()));
  }
}
