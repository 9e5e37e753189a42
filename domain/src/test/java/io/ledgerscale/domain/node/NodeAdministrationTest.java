// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.node;

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
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.NodeDeletedEvent;
import io.ledgerscale.domain.api.node.NodeOwnershipTransferredEvent;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.NodeRenamedEvent;
import io.ledgerscale.domain.api.node.NodeTagsChangedEvent;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.RenameNodeCommand;
import io.ledgerscale.domain.api.node.SetNodeTagsCommand;
import io.ledgerscale.domain.api.node.TaggedDevices;
import io.ledgerscale.domain.api.node.TransferNodeCommand;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.tailnet.NodeNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReleasedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeAdministrationTest {
  private static final MetaData ALICE = as(ActorType.USER, "1", "alice");
  private static final MetaData BOB = as(ActorType.USER, "2", "bob");
  private static final MetaData CAROL = as(ActorType.USER, "3", "carol");
  private static final MetaData API_KEY = as(ActorType.API_KEY, "abcdefghijkl", "ci");
  private static final MetaData SYSTEM = AuditMetadata.system(Origin.SYSTEM, "bootstrap");
  private static final MetaData A_NODE = as(ActorType.NODE, "mkey:9", "other");

  private final InJvmLedger ledger = new InJvmLedger();
  private IssuedPreAuthKey aliceKey;

  private static MetaData as(ActorType type, String id, String name) {
    return AuditMetadata.of(new Actor(type, id, name), Origin.REST, "203.0.113.5", null);
  }

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, "alice@example.com", null, null, null));
    ledger.send(new CreateUserCommand("bob", null, "bob@example.com", null, null, null));
    ledger.send(new CreateUserCommand("carol", null, "carol@example.com", null, null, null));
    ledger.send(
        new SetPolicyCommand(io.ledgerscale.domain.enrollment.PreAuthKeyRegistrationTest.POLICY));
    aliceKey = ledger.send(new CreatePreAuthKeyCommand(1L, true, false, null, List.of()));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private NodeRegistration registerAlices(String machine, String hostname) {
    return ledger.send(
        new RegisterNodeWithPreAuthKeyCommand(
            "mkey:" + machine, "nodekey:" + machine, hostname, List.of(), aliceKey.key(), null));
  }

  @Test
  void canLetAUserSetTagsItOwns() {
    registerAlices("1", "srv");

    ledger.send(new SetNodeTagsCommand(1, List.of("tag:server")), ALICE);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(new NodeTagsChangedEvent(1, List.of(), List.of("tag:server"), 1L));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new NodeOwnerReassignedEvent(1, 1L, null));
    assertThat(
            ledger.stream(AggregateIds.node(1)).get(1).getMetaData().get(AuditMetadata.ACTOR_NAME))
        .isEqualTo("alice");
  }

  @Test
  void canLetAUserSetTagsOwnedThroughAGroupByEmail() {
    registerAlices("1", "db");

    ledger.send(new SetNodeTagsCommand(1, List.of("tag:db")), CAROL);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(new NodeTagsChangedEvent(1, List.of(), List.of("tag:db"), 1L));
  }

  @Test
  void cannotLetAUserSetTagsItDoesNotOwn() {
    registerAlices("1", "srv");

    assertOnlyRefusal(
        new SetNodeTagsCommand(1, List.of("tag:server")),
        BOB,
        AggregateIds.node(1),
        RefusalKind.NOT_PERMITTED,
        "user bob does not own tag:server per the policy's tagOwners");
  }

  @Test
  void canLetAnAdminSetAnyDeclaredTag() {
    registerAlices("1", "srv");
    registerAlices("2", "db");

    ledger.send(new SetNodeTagsCommand(1, List.of("tag:server", "tag:db")), API_KEY);
    ledger.send(new SetNodeTagsCommand(2, List.of("tag:db")), SYSTEM);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(new NodeTagsChangedEvent(1, List.of(), List.of("tag:server", "tag:db"), 1L));
    assertThat(ledger.payloads(AggregateIds.node(2)))
        .last()
        .isEqualTo(new NodeTagsChangedEvent(2, List.of(), List.of("tag:db"), 1L));
  }

  @Test
  void cannotLetEvenAnAdminSetAnUndeclaredTag() {
    registerAlices("1", "srv");

    assertOnlyRefusal(
        new SetNodeTagsCommand(1, List.of("tag:server", "tag:nope")),
        API_KEY,
        AggregateIds.node(1),
        RefusalKind.INVALID,
        "tag:nope is not declared in the policy's tagOwners");
  }

  @Test
  void cannotLetANodeOrAnUnknownActorSetTags() {
    registerAlices("1", "srv");

    assertOnlyRefusal(
        new SetNodeTagsCommand(1, List.of("tag:server")),
        A_NODE,
        AggregateIds.node(1),
        RefusalKind.NOT_PERMITTED,
        "only a user or an admin may set tags, not NODE");
    assertOnlyRefusal(
        new SetNodeTagsCommand(1, List.of("tag:server")),
        MetaData.emptyInstance(),
        AggregateIds.node(1),
        RefusalKind.NOT_PERMITTED,
        "only a user or an admin may set tags, not an unknown actor");
  }

  @Test
  void cannotSetMalformedOrNoTags() {
    registerAlices("1", "srv");

    assertOnlyRefusal(
        new SetNodeTagsCommand(1, List.of("server")),
        API_KEY,
        AggregateIds.node(1),
        RefusalKind.INVALID,
        "invalid tag 'server': tags look like tag:name");
    assertOnlyRefusal(
        new SetNodeTagsCommand(1, List.of()),
        API_KEY,
        AggregateIds.node(1),
        RefusalKind.INVALID,
        "a tagged node needs at least one tag; transfer it to a user to untag it");
  }

  @Test
  void cannotSetTagsOnAnUnknownNode() {
    assertOnlyRefusal(
        new SetNodeTagsCommand(42, List.of("tag:server")),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.NOT_FOUND,
        "no node with id 42");
  }

  @Test
  void canTransferATaggedNodeToAUserWhichRemovesItsTags() {
    registerAlices("1", "srv");
    ledger.send(new SetNodeTagsCommand(1, List.of("tag:server")), ALICE);

    ledger.send(new TransferNodeCommand(1, 2, "bob runs it now"), API_KEY);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(
            new NodeOwnershipTransferredEvent(
                1, null, 2, List.of("tag:server"), "bob runs it now"));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new NodeOwnerReassignedEvent(1, null, 2L));
  }

  @Test
  void cannotTransferToAnUnknownUserOrToTaggedDevices() {
    registerAlices("1", "srv");

    assertOnlyRefusal(
        new TransferNodeCommand(1, 9, "?"),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.NOT_FOUND,
        "no user with id 9");
    assertOnlyRefusal(
        new TransferNodeCommand(1, TaggedDevices.USER_ID, "?"),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.INVALID,
        "tag the node to hand it to tagged-devices");
  }

  @Test
  void canRenameANode() {
    registerAlices("1", "srv");

    ledger.send(new RenameNodeCommand(1, "web-01"), API_KEY);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(new NodeRenamedEvent(1, "srv", "web-01"));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new NodeNameReassignedEvent(1, "srv", "web-01"));
    // the old name is free for the next node
    assertThat(registerAlices("2", "srv").givenName()).isEqualTo("srv");
  }

  @Test
  void cannotRenameANodeToAnInvalidOrTakenName() {
    registerAlices("1", "srv");
    registerAlices("2", "db");

    assertOnlyRefusal(
        new RenameNodeCommand(1, "Web_01"),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.INVALID,
        "invalid node name 'Web_01': lower-case letters, digits and inner dashes, at most 63 characters");
    assertOnlyRefusal(
        new RenameNodeCommand(1, "a".repeat(64)),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.INVALID,
        "invalid node name '"
            + "a".repeat(64)
            + "': lower-case letters, digits and inner dashes, at most 63 characters");
    assertOnlyRefusal(
        new RenameNodeCommand(1, "db"),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.CONFLICT,
        "the name db is taken by node 2");
  }

  @Test
  void canDeleteANodeWhichFreesItsNameMachineKeyAndAddresses() {
    NodeRegistration node = registerAlices("1", "srv");

    ledger.send(new DeleteNodeCommand(1), API_KEY);

    assertThat(ledger.payloads(AggregateIds.node(1)))
        .last()
        .isEqualTo(new NodeDeletedEvent(1, "srv", List.of(node.ipv4(), node.ipv6())));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new NodeReleasedEvent(1, "mkey:1", "srv", node.ipv4(), node.ipv6()));
    NodeRegistration again = registerAlices("1", "srv");
    assertThat(again.nodeId()).isEqualTo(2);
    assertThat(again.givenName()).isEqualTo("srv");
    assertOnlyRefusal(
        new DeleteNodeCommand(1),
        API_KEY,
        AggregateIds.TAILNET,
        RefusalKind.NOT_FOUND,
        "no node with id 1");
  }

  private void assertOnlyRefusal(
      Object command, MetaData metaData, String stream, RefusalKind kind, String reason) {
    List<Object> before = ledger.allPayloads();

    assertThatThrownBy(() -> ledger.send(command, metaData))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(reason)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(kind);

    List<Object> after = ledger.allPayloads();
    assertThat(after).hasSize(before.size() + 1);
    assertThat(after.get(before.size()))
        .isInstanceOfSatisfying(
            CommandRefusedEvent.class,
            refusal -> {
              assertThat(refusal.command()).isEqualTo(command.getClass().getSimpleName());
              assertThat(refusal.kind()).isEqualTo(kind);
              assertThat(refusal.reason()).isEqualTo(reason);
            });
    assertThat(ledger.payloads(stream)).last().isEqualTo(after.get(before.size()));
  }
}
