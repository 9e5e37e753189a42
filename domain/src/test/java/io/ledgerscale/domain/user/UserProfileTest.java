// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.UpdateUserProfileCommand;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.support.InJvmLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserProfileTest {
  private final InJvmLedger ledger = new InJvmLedger();

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void canUpdateAProfileWithOldAndNewValues() {
    long id =
        ledger.send(
            new CreateUserCommand("alice", "Alice", null, "https://pics/a", "oidc", "iss/1"));

    boolean changed =
        ledger.send(new UpdateUserProfileCommand(id, "Alice A.", "alice@example.com", null));

    assertThat(changed).isTrue();
    assertThat(ledger.payloads(AggregateIds.user(id)))
        .last()
        .isEqualTo(
            new UserProfileUpdatedEvent(
                id, "Alice", null, "https://pics/a", "Alice A.", "alice@example.com", null));
  }

  @Test
  void shouldRecordNothingWhenTheProfileIsUnchanged() {
    long id =
        ledger.send(
            new CreateUserCommand("alice", "Alice", "a@example.com", null, "oidc", "iss/1"));
    ledger.send(new UpdateUserProfileCommand(id, "Alice 2", "a@example.com", null));
    int events = ledger.allPayloads().size();

    boolean changed =
        ledger.send(new UpdateUserProfileCommand(id, "Alice 2", "a@example.com", null));

    assertThat(changed).isFalse();
    assertThat(ledger.allPayloads()).hasSize(events);
  }

  @Test
  void cannotUpdateTheProfileOfAnUnknownUser() {
    assertThatThrownBy(() -> ledger.send(new UpdateUserProfileCommand(42, "x", null, null)))
        .isInstanceOf(CommandRefusedException.class)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.NOT_FOUND);
  }
}
