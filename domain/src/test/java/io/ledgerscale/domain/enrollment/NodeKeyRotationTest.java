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
import io.ledgerscale.domain.api.node.ExpireNodeCommand;
import io.ledgerscale.domain.api.node.NodeKeyRotatedEvent;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RotateNodeKeyCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeKeyRotationTest {
  private static final Instant EXPIRY = Instant.parse("2027-05-01T00:00:00Z");
  private static final MetaData FROM_NODE =
      AuditMetadata.of(
          new Actor(ActorType.NODE, "mkey:1", "laptop"), Origin.NODE, "198.51.100.7", "corr-node");

  private final InJvmLedger ledger = new InJvmLedger();
  private IssuedPreAuthKey aliceKey;
  private NodeRegistration laptop;

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    ledger.send(new CreateUserCommand("bob", null, "bob@example.com", null, null, null));
    ledger.send(new SetPolicyCommand("{\"tagOwners\": {\"tag:web\": [], \"tag:other\": []}}"));
    aliceKey = key(1L, List.of());
    laptop =
        ledger.send(
            new RegisterNodeWithPreAuthKeyCommand(
                "mkey:1", "nodekey:old", "laptop", List.of(), aliceKey.key(), EXPIRY));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private IssuedPreAuthKey key(Long userId, List<String> tags) {
    return ledger.send(new CreatePreAuthKeyCommand(userId, true, false, null, tags));
  }

  private static RotateNodeKeyCommand rotate(
      String machine, String oldKey, String newKey, String preAuthKey) {
    return new RotateNodeKeyCommand(machine, oldKey, newKey, preAuthKey, null);
  }

  @Test
  void canRotateTheNodeKeyKeepingIdNameAddressesAndOwner() {
    NodeRegistration rotated =
        ledger.send(rotate("mkey:1", "nodekey:old", "nodekey:new", aliceKey.key()), FROM_NODE);

    assertThat(rotated).isEqualTo(laptop);
    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isEqualTo(
            new NodeKeyRotatedEvent(
                laptop.nodeId(), "mkey:1", "nodekey:old", "nodekey:new", aliceKey.id(), null));
    assertThat(ledger.payloads(AggregateIds.preAuthKey(aliceKey.id())))
        .last()
        .isEqualTo(new PreAuthKeyUsedEvent(aliceKey.id(), laptop.nodeId()));
    List<DomainEventMessage<?>> stream = ledger.stream(AggregateIds.node(laptop.nodeId()));
    MetaData recorded = stream.get(stream.size() - 1).getMetaData();
    for (String k : AuditMetadata.KEYS) {
      assertThat(recorded.get(k)).as(k).isEqualTo(FROM_NODE.get(k));
    }
  }

  @Test
  void canRotateAnExpiredNodeWhichGetsTheRequestedExpiry() {
    ledger.send(new ExpireNodeCommand(laptop.nodeId(), null, false));
    Instant later = Instant.parse("2028-01-01T00:00:00Z");

    ledger.send(
        new RotateNodeKeyCommand("mkey:1", "nodekey:old", "nodekey:new", aliceKey.key(), later));

    assertThat(ledger.payloads(AggregateIds.node(laptop.nodeId())))
        .last()
        .isEqualTo(
            new NodeKeyRotatedEvent(
                laptop.nodeId(), "mkey:1", "nodekey:old", "nodekey:new", aliceKey.id(), later));
  }

  @Test
  void canRotateATaggedNodeWithATagsKey() {
    IssuedPreAuthKey tagKey = key(null, List.of("tag:web"));
    NodeRegistration web =
        ledger.send(
            new RegisterNodeWithPreAuthKeyCommand(
                "mkey:2", "nodekey:web", "web", List.of(), tagKey.key(), null));
    IssuedPreAuthKey otherTagKey = key(null, List.of("tag:other"));

    NodeRegistration rotated =
        ledger.send(rotate("mkey:2", "nodekey:web", "nodekey:web2", otherTagKey.key()));

    assertThat(rotated.tags()).containsExactly("tag:web");
    assertThat(ledger.payloads(AggregateIds.node(web.nodeId())))
        .last()
        .isInstanceOf(NodeKeyRotatedEvent.class);
  }

  @Test
  void canRotateAgainFromTheNewKeyButNotFromTheOldOne() {
    ledger.send(rotate("mkey:1", "nodekey:old", "nodekey:new", aliceKey.key()));

    ledger.send(rotate("mkey:1", "nodekey:new", "nodekey:newer", aliceKey.key()));

    assertOnlyRefusalRecorded(
        rotate("mkey:1", "nodekey:new", "nodekey:newest", aliceKey.key()),
        AggregateIds.node(laptop.nodeId()),
        RefusalKind.CREDENTIAL_REJECTED,
        "the old node key is not node " + laptop.nodeId() + "'s current key");
  }

  @Test
  void cannotRotateFromAnotherMachine() {
    ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:2", "nodekey:two", "desk", List.of(), aliceKey.key(), null));

    // machine 2 presents machine 1's node key: its own node's key does not match
    assertOnlyRefusalRecorded(
        rotate("mkey:2", "nodekey:old", "nodekey:stolen", aliceKey.key()),
        AggregateIds.node(2),
        RefusalKind.CREDENTIAL_REJECTED,
        "the old node key is not node 2's current key");
  }

  @Test
  void cannotRotateForAnUnknownMachine() {
    assertOnlyRefusalRecorded(
        rotate("mkey:9", "nodekey:old", "nodekey:new", aliceKey.key()),
        AggregateIds.TAILNET,
        RefusalKind.NOT_FOUND,
        "no node is registered for this machine");
  }

  @Test
  void cannotRotateWithAnotherOwnersKey() {
    IssuedPreAuthKey bobKey = key(2L, List.of());

    assertOnlyRefusalRecorded(
        rotate("mkey:1", "nodekey:old", "nodekey:new", bobKey.key()),
        AggregateIds.preAuthKey(bobKey.id()),
        RefusalKind.CONFLICT,
        "the pre-auth key is for another owner than node " + laptop.nodeId());
  }

  @Test
  void cannotRotateAUserNodeWithATagsKey() {
    IssuedPreAuthKey tagKey = key(null, List.of("tag:web"));

    assertOnlyRefusalRecorded(
        rotate("mkey:1", "nodekey:old", "nodekey:new", tagKey.key()),
        AggregateIds.preAuthKey(tagKey.id()),
        RefusalKind.CONFLICT,
        "the pre-auth key is for another owner than node " + laptop.nodeId());
  }

  @Test
  void cannotRotateWithAWrongSecret() {
    String wrong = aliceKey.key().substring(0, aliceKey.key().length() - 4) + "AAAA";

    assertOnlyRefusalRecorded(
        rotate("mkey:1", "nodekey:old", "nodekey:new", wrong),
        AggregateIds.preAuthKey(aliceKey.id()),
        RefusalKind.CREDENTIAL_REJECTED,
        "pre-auth key secret does not match");
  }

  @Test
  void cannotRotateWithoutAPreAuthKey() {
    assertOnlyRefusalRecorded(
        rotate("mkey:1", "nodekey:old", "nodekey:new", ""),
        AggregateIds.TAILNET,
        RefusalKind.CREDENTIAL_REJECTED,
        "malformed pre-auth key");
  }

  @Test
  void cannotRotateToTheSameKey() {
    assertOnlyRefusalRecorded(
        rotate("mkey:1", "nodekey:old", "NODEKEY:OLD", aliceKey.key()),
        AggregateIds.TAILNET,
        RefusalKind.INVALID,
        "the new node key is the old one");
  }

  private void assertOnlyRefusalRecorded(
      RotateNodeKeyCommand command, String stream, RefusalKind kind, String reason) {
    List<Object> before = ledger.allPayloads();
    int streamBefore = ledger.stream(stream).size();

    assertThatThrownBy(() -> ledger.send(command, FROM_NODE))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(reason)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(kind);

    List<Object> after = ledger.allPayloads();
    assertThat(after).hasSize(before.size() + 1);
    assertThat(after.subList(0, before.size())).isEqualTo(before);
    assertThat(after.get(before.size()))
        .isInstanceOfSatisfying(
            CommandRefusedEvent.class,
            refusal -> {
              assertThat(refusal.command()).isEqualTo("RotateNodeKeyCommand");
              assertThat(refusal.kind()).isEqualTo(kind);
              assertThat(refusal.reason()).isEqualTo(reason);
            });
    List<DomainEventMessage<?>> recorded = ledger.stream(stream);
    assertThat(recorded).hasSize(streamBefore + 1);
    assertThat(recorded.get(streamBefore).getMetaData().get(AuditMetadata.ACTOR_TYPE))
        .isEqualTo("NODE");
  }
}
