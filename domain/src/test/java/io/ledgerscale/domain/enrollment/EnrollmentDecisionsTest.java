// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.enrollment.EnrollNodeCommand;
import io.ledgerscale.domain.api.enrollment.EnrollmentAnswer;
import io.ledgerscale.domain.api.enrollment.ForeignNodeKeyRefusedEvent;
import io.ledgerscale.domain.api.enrollment.LogOutNodeCommand;
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeExpiryChangedEvent;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeReauthenticatedEvent;
import io.ledgerscale.domain.api.node.NodeRegisteredEvent;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterMethod;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's register request as the gateway sends it ({@link EnrollNodeCommand}, {@link
 * LogOutNodeCommand}), decided by the domain: which of register, rotate, re-authenticate, answer as
 * is, ask for a login, log out or refuse, given the nodes the tailnet holds.
 */
class EnrollmentDecisionsTest {
  private static final String OLD_KEY = "nodekey:" + "a1".repeat(32);
  private static final String NEW_KEY = "nodekey:" + "b2".repeat(32);
  private static final String MACHINE = "mkey:" + "22".repeat(32);
  private static final String OTHER_MACHINE = "mkey:" + "cd".repeat(32);
  private static final MetaData FROM_NODE =
      AuditMetadata.of(
          new Actor(ActorType.NODE, MACHINE, "laptop"), Origin.NODE, "198.51.100.7", "corr-node");

  private final InJvmLedger ledger = new InJvmLedger();
  private IssuedPreAuthKey aliceKey;

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    aliceKey = ledger.send(new CreatePreAuthKeyCommand(1L, true, false, null, List.of()));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  /** Given: a node of {@code machine} with {@code nodeKey}. */
  private NodeRegistration nodeOf(String machine, String nodeKey) {
    return ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            machine, nodeKey, "laptop", List.of(), aliceKey.key(), null));
  }

  private static EnrollNodeCommand withKey(String oldNodeKey, String preAuthKey) {
    return new EnrollNodeCommand(
        MACHINE, NEW_KEY, oldNodeKey, "laptop", List.of(), preAuthKey, null);
  }

  private EnrollmentAnswer send(Object command) {
    return ledger.send(command, FROM_NODE);
  }

  @Test
  void shouldRegisterANewMachineWithAPreAuthKey() {
    EnrollmentAnswer answer = send(withKey(null, aliceKey.key()));

    assertThat(answer).isInstanceOf(EnrollmentAnswer.Enrolled.class);
    NodeRegistration registered = ((EnrollmentAnswer.Enrolled) answer).registration();
    assertThat(ledger.payloads(AggregateIds.node(registered.nodeId())).get(0))
        .isInstanceOf(NodeRegisteredEvent.class);
  }

  @Test
  void shouldRotateWhenTheOldNodeKeyIsTheMachinesCurrentKey() {
    NodeRegistration laptop = nodeOf(MACHINE, OLD_KEY);

    EnrollmentAnswer answer = send(withKey(OLD_KEY, aliceKey.key()));

    assertThat(answer).isEqualTo(new EnrollmentAnswer.Enrolled(laptop));
    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isEqualTo(
            new NodeKeyRotatedEvent(
                laptop.nodeId(), MACHINE, OLD_KEY, NEW_KEY, aliceKey.id(), null));
  }

  @Test
  void shouldLetTheRotationRefuseAnOldNodeKeyOfAnotherMachine() {
    nodeOf(OTHER_MACHINE, OLD_KEY);

    assertThatThrownBy(() -> send(withKey(OLD_KEY, aliceKey.key())))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("no node is registered for this machine");
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(
            new CommandRefusedEvent(
                "RotateNodeKeyCommand",
                "Node",
                null,
                RefusalKind.NOT_FOUND,
                "no node is registered for this machine"));
  }

  @Test
  void shouldRegisterAsUsualWhenTheOldNodeKeyIsUnknown() {
    NodeRegistration laptop = nodeOf(MACHINE, "nodekey:" + "ee".repeat(32));

    EnrollmentAnswer answer = send(withKey(OLD_KEY, aliceKey.key()));

    // the known machine of the same owner moves to the new key by its registration
    assertThat(answer).isEqualTo(new EnrollmentAnswer.Enrolled(laptop));
    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isInstanceOf(NodeReauthenticatedEvent.class);
  }

  @Test
  void shouldTellAClientItsKnownKeyExpiredAndChangeNothing() {
    NodeRegistration laptop = nodeOf(MACHINE, NEW_KEY);
    ledger.send(new ExpireNodeCommand(laptop.nodeId(), null, false));
    int before = ledger.allPayloads().size();

    EnrollmentAnswer answer = send(withKey(OLD_KEY, aliceKey.key()));

    assertThat(answer)
        .isEqualTo(new EnrollmentAnswer.KnownNode(laptop.nodeId(), 1L, "alice", true));
    assertThat(ledger.allPayloads()).hasSize(before);
  }

  @Test
  void shouldReauthenticateTheMachinesOwnUnexpiredKey() {
    NodeRegistration laptop = nodeOf(MACHINE, NEW_KEY);

    EnrollmentAnswer answer = send(withKey(OLD_KEY, aliceKey.key()));

    assertThat(answer).isEqualTo(new EnrollmentAnswer.Enrolled(laptop));
    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isEqualTo(
            new NodeReauthenticatedEvent(
                laptop.nodeId(),
                MACHINE,
                NEW_KEY,
                NEW_KEY,
                RegisterMethod.AUTH_KEY,
                aliceKey.id(),
                null));
  }

  /** Then: refused on the wire's text, and recorded once, on the node whose key it is. */
  private void assertForeignKeyRefused(Object command, NodeRegistration other, String commandName) {
    int before = ledger.allPayloads().size();

    assertThatThrownBy(() -> send(command))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("node key belongs to another machine")
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.CREDENTIAL_REJECTED);

    assertThat(ledger.allPayloads()).hasSize(before + 1);
    List<DomainEventMessage<?>> stream = ledger.stream(AggregateIds.node(other.nodeId()));
    DomainEventMessage<?> refusal = stream.get(stream.size() - 1);
    assertThat(refusal.getPayload())
        .isEqualTo(
            new ForeignNodeKeyRefusedEvent(
                other.nodeId(), commandName, "node key belongs to another machine"));
    for (String k : AuditMetadata.KEYS) {
      assertThat(refusal.getMetaData().get(k)).as(k).isEqualTo(FROM_NODE.get(k));
    }
  }

  @Test
  void cannotRegisterWithAKeyThatBelongsToAnotherMachine() {
    NodeRegistration other = nodeOf(OTHER_MACHINE, NEW_KEY);

    assertForeignKeyRefused(withKey(OLD_KEY, aliceKey.key()), other, "EnrollNodeCommand");
  }

  @Test
  void shouldAnswerARestartedClientOfAKnownNodeAsItIs() {
    NodeRegistration laptop = nodeOf(MACHINE, NEW_KEY);
    int before = ledger.allPayloads().size();

    EnrollmentAnswer answer = send(withKey(null, null));

    assertThat(answer)
        .isEqualTo(new EnrollmentAnswer.KnownNode(laptop.nodeId(), 1L, "alice", false));
    assertThat(ledger.allPayloads()).hasSize(before);
  }

  @Test
  void shouldNameTaggedDevicesAsTheOwnerOfATaggedKnownNode() {
    ledger.send(
        new io.ledgerscale.domain.api.policy.SetPolicyCommand(
            "{\"tagOwners\": {\"tag:web\": []}}"));
    IssuedPreAuthKey tags =
        ledger.send(new CreatePreAuthKeyCommand(null, true, false, null, List.of("tag:web")));
    NodeRegistration web =
        ledger.send(
            new RegisterNodeWithPreAuthKeyCommand(
                MACHINE, NEW_KEY, "web", List.of(), tags.key(), null));

    EnrollmentAnswer answer = send(withKey(null, null));

    assertThat(answer)
        .isEqualTo(
            new EnrollmentAnswer.KnownNode(
                web.nodeId(), TaggedDevices.USER_ID, TaggedDevices.USER_NAME, false));
  }

  @Test
  void shouldAskForALoginWhenNoNodeHoldsTheKeyAndNoCredentialCame() {
    int before = ledger.allPayloads().size();

    EnrollmentAnswer answer = send(withKey(null, null));

    assertThat(answer).isEqualTo(new EnrollmentAnswer.LoginRequired());
    assertThat(ledger.allPayloads()).hasSize(before);
  }

  @Test
  void cannotResumeAKeyOfAnotherMachineWithoutCredentials() {
    NodeRegistration other = nodeOf(OTHER_MACHINE, NEW_KEY);

    assertForeignKeyRefused(withKey(null, null), other, "EnrollNodeCommand");
  }

  @Test
  void shouldExpireTheCallersOwnNodeOnLogout() {
    NodeRegistration laptop = nodeOf(MACHINE, NEW_KEY);

    EnrollmentAnswer answer = send(new LogOutNodeCommand(MACHINE, NEW_KEY));

    assertThat(answer).isEqualTo(new EnrollmentAnswer.LoggedOut(1L, "alice"));
    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isEqualTo(new NodeExpiryChangedEvent(laptop.nodeId(), null, ledger.clock.instant()));
  }

  @Test
  void shouldDeleteAnEphemeralNodeOnLogout() {
    IssuedPreAuthKey ephemeral =
        ledger.send(new CreatePreAuthKeyCommand(1L, true, true, null, List.of()));
    NodeRegistration laptop =
        ledger.send(
            new RegisterNodeWithPreAuthKeyCommand(
                MACHINE, NEW_KEY, "laptop", List.of(), ephemeral.key(), null));

    send(new LogOutNodeCommand(MACHINE, NEW_KEY));

    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isInstanceOf(NodeDeletedEvent.class);
  }

  @Test
  void shouldChangeNothingOnALogoutWithAnUnknownKey() {
    int before = ledger.allPayloads().size();

    EnrollmentAnswer answer = send(new LogOutNodeCommand(MACHINE, NEW_KEY));

    assertThat(answer).isEqualTo(new EnrollmentAnswer.LoggedOut(null, null));
    assertThat(ledger.allPayloads()).hasSize(before);
  }

  @Test
  void cannotLogOutANodeOfAnotherMachine() {
    NodeRegistration other = nodeOf(OTHER_MACHINE, NEW_KEY);

    assertForeignKeyRefused(new LogOutNodeCommand(MACHINE, NEW_KEY), other, "LogOutNodeCommand");
  }
}
