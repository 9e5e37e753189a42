// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.preauthkey;

import static io.ledgerscale.domain.support.Fixtures.ALICE_CLI;
import static io.ledgerscale.domain.support.Fixtures.NOW;

import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.preauthkey.DeletePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.ExpirePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import java.time.Duration;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreAuthKeyTest {
  private static final PreAuthKeyCreatedEvent CREATED =
      new PreAuthKeyCreatedEvent(
          3, "abcdefghijkl", "hash", 1L, false, false, NOW.plus(Duration.ofHours(1)), List.of());

  private AggregateTestFixture<PreAuthKey> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(PreAuthKey.class);
  }

  @Test
  void canExpireAKeyNow() {
    fixture
        .given(CREATED)
        .when(new ExpirePreAuthKeyCommand(3), ALICE_CLI)
        .expectEvents(new PreAuthKeyExpiredEvent(3, NOW))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void cannotExpireAnExpiredKey() {
    fixture
        .given(CREATED, new PreAuthKeyExpiredEvent(3, NOW.minusSeconds(5)))
        .when(new ExpirePreAuthKeyCommand(3), ALICE_CLI)
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ExpirePreAuthKeyCommand",
                "PreAuthKey",
                "3",
                RefusalKind.CONFLICT,
                "pre-auth key 3 has already expired"))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void cannotExpireADeletedKey() {
    fixture
        .given(CREATED, new PreAuthKeyDeletedEvent(3))
        .when(new ExpirePreAuthKeyCommand(3))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "ExpirePreAuthKeyCommand",
                "PreAuthKey",
                "3",
                RefusalKind.NOT_FOUND,
                "pre-auth key 3 was deleted"));
  }

  @Test
  void canDeleteAKey() {
    fixture
        .given(CREATED)
        .when(new DeletePreAuthKeyCommand(3), ALICE_CLI)
        .expectEvents(new PreAuthKeyDeletedEvent(3))
        .expectEventsMatching(AuditMatchers.allCarry(ALICE_CLI));
  }

  @Test
  void cannotDeleteAKeyTwice() {
    fixture
        .given(CREATED, new PreAuthKeyDeletedEvent(3))
        .when(new DeletePreAuthKeyCommand(3))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "DeletePreAuthKeyCommand",
                "PreAuthKey",
                "3",
                RefusalKind.NOT_FOUND,
                "pre-auth key 3 was deleted"));
  }
}
