// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.node.DeleteNodeCommand;
import io.ledgerscale.domain.api.node.NodeRegistration;
import io.ledgerscale.domain.api.node.RegisterNodeWithPreAuthKeyCommand;
import io.ledgerscale.domain.api.node.TransferNodeCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.tailnet.TailnetStartedEvent;
import io.ledgerscale.domain.api.tailnet.UserNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.UserReleasedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.DeleteUserCommand;
import io.ledgerscale.domain.api.user.RenameUserCommand;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.InJvmLedger;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserCommandHandlerTest {
  private final InJvmLedger ledger = new InJvmLedger();

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private static CreateUserCommand user(String name) {
    return new CreateUserCommand(name, name.toUpperCase(), name + "@example.com", null, null, null);
  }

  @Test
  void canCreateAUserWithTheNextId() {
    long alice = ledger.send(user("alice"));
    long bob = ledger.send(user("bob"));

    assertThat(alice).isEqualTo(1);
    assertThat(bob).isEqualTo(2);
    assertThat(ledger.payloads(AggregateIds.user(2)))
        .containsExactly(
            new UserCreatedEvent(2, "bob", "BOB", "bob@example.com", null, null, null));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .containsExactly(
            new TailnetStartedEvent("100.64.0.0/10", "fd7a:115c:a1e0::/48"),
            new UserReservedEvent(1, "alice"),
            new UserReservedEvent(2, "bob"));
  }

  @Test
  void shouldCopyTheActorOntoEveryEvent() {
    ledger.send(user("alice"), Fixtures.ALICE_CLI);

    List<DomainEventMessage<?>> events = ledger.stream(AggregateIds.user(1));
    assertThat(events).hasSize(1);
    for (String key : AuditMetadata.KEYS) {
      assertThat(events.get(0).getMetaData().get(key))
          .as(key)
          .isEqualTo(Fixtures.ALICE_CLI.get(key));
    }
    assertThat(
            ledger.stream(AggregateIds.TAILNET).get(1).getMetaData().get(AuditMetadata.ACTOR_NAME))
        .isEqualTo("alice");
  }

  @Test
  void cannotCreateAUserWithATakenNameButTheRefusalIsKept() {
    ledger.send(user("alice"));
    List<Object> before = ledger.allPayloads();

    assertThatThrownBy(() -> ledger.send(user("alice")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("a user named alice already exists")
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.CONFLICT);

    List<Object> after = ledger.allPayloads();
    assertThat(after.subList(0, before.size())).isEqualTo(before);
    assertThat(after.subList(before.size(), after.size()))
        .containsExactly(
            new CommandRefusedEvent(
                "CreateUserCommand",
                "User",
                "alice",
                RefusalKind.CONFLICT,
                "a user named alice already exists"));
    assertThat(ledger.stream(AggregateIds.user(2))).isEmpty();
    assertThat(ledger.stream(AggregateIds.TAILNET).get(2).getMetaData().get(AuditMetadata.ACTOR_ID))
        .isEqualTo("1");
  }

  @Test
  void cannotCreateAUserWithAnInvalidOrReservedName() {
    assertThatThrownBy(() -> ledger.send(user("al ice")))
        .isInstanceOf(CommandRefusedException.class)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.INVALID);
    assertThatThrownBy(() -> ledger.send(user("tagged-devices")))
        .isInstanceOf(CommandRefusedException.class)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.CONFLICT);
    assertThat(ledger.allPayloads())
        .hasSize(3)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfAny(TailnetStartedEvent.class, CommandRefusedEvent.class));
  }

  @Test
  void canRenameAUser() {
    ledger.send(user("alice"));
    ledger.send(new RenameUserCommand(1, "alicia"));

    assertThat(ledger.payloads(AggregateIds.user(1)))
        .last()
        .isEqualTo(new UserRenamedEvent(1, "alice", "alicia"));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new UserNameReassignedEvent(1, "alice", "alicia"));
    // the old name is free again
    assertThat((Long) ledger.send(user("alice"))).isEqualTo(2);
  }

  @Test
  void cannotRenameAUserToATakenName() {
    ledger.send(user("alice"));
    ledger.send(user("bob"));

    assertThatThrownBy(() -> ledger.send(new RenameUserCommand(2, "alice")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("a user named alice already exists");
    assertThat(ledger.payloads(AggregateIds.user(2))).hasSize(1);
  }

  @Test
  void cannotRenameAnUnknownUser() {
    assertThatThrownBy(() -> ledger.send(new RenameUserCommand(9, "alice")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("no user with id 9");
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(
            new CommandRefusedEvent(
                "RenameUserCommand", "User", "9", RefusalKind.NOT_FOUND, "no user with id 9"));
  }

  @Test
  void canDeleteAUserWithoutNodes() {
    ledger.send(user("alice"));
    ledger.send(new DeleteUserCommand(1));

    assertThat(ledger.payloads(AggregateIds.user(1)))
        .last()
        .isEqualTo(new UserDeletedEvent(1, "alice"));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new UserReleasedEvent(1, "alice"));
    assertThatThrownBy(() -> ledger.send(new DeleteUserCommand(1)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("no user with id 1");
  }

  @Test
  void cannotDeleteAUserWhoStillOwnsNodes() {
    ledger.send(user("alice"));
    ledger.send(user("bob"));
    IssuedPreAuthKey key =
        ledger.send(new CreatePreAuthKeyCommand(1L, false, false, null, List.of()));
    NodeRegistration node =
        ledger.send(
            new RegisterNodeWithPreAuthKeyCommand(
                "mkey:1", "nodekey:1", "laptop", List.of(), key.key(), null));
    int before = ledger.allPayloads().size();

    assertThatThrownBy(() -> ledger.send(new DeleteUserCommand(1)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("user alice still owns 1 node(s); delete or transfer them first");
    assertThat(ledger.allPayloads()).hasSize(before + 1);
    assertThat(ledger.payloads(AggregateIds.user(1))).hasSize(1);

    // once the node belongs to someone else, alice can go
    ledger.send(new TransferNodeCommand(node.nodeId(), 2, "alice leaves"));
    ledger.send(new DeleteUserCommand(1));
    assertThat(ledger.payloads(AggregateIds.user(1)))
        .last()
        .isEqualTo(new UserDeletedEvent(1, "alice"));
    // and bob cannot, until his node is deleted
    assertThatThrownBy(() -> ledger.send(new DeleteUserCommand(2)))
        .isInstanceOf(CommandRefusedException.class);
    ledger.send(new DeleteNodeCommand(node.nodeId()));
    ledger.send(new DeleteUserCommand(2));
  }
}
