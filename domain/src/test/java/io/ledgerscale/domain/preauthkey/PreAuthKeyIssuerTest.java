// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.preauthkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.preauthkey.CreatePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.DeletePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.ExpirePreAuthKeyCommand;
import io.ledgerscale.domain.api.preauthkey.IssuedPreAuthKey;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.api.tailnet.PreAuthKeyReservedEvent;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.InJvmLedger;
import io.ledgerscale.domain.support.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreAuthKeyIssuerTest {
  private static final Pattern KEY =
      Pattern.compile("lskey-auth-([a-z0-9]{12})-([A-Za-z0-9_-]{43})");

  private final InJvmLedger ledger = new InJvmLedger();

  @BeforeEach
  void setUp() {
    ledger.send(new CreateUserCommand("alice", null, null, null, null, null));
  }

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void canCreateAKeyForAUserThatIsShownOnceAndStoredHashed() {
    IssuedPreAuthKey issued =
        ledger.send(new CreatePreAuthKeyCommand(1L, false, false, null, null));

    Matcher m = KEY.matcher(issued.key());
    assertThat(m.matches()).as(issued.key()).isTrue();
    assertThat(issued.id()).isEqualTo(1);
    assertThat(issued.expiration()).isEqualTo(Fixtures.NOW.plus(Duration.ofHours(1)));
    assertThat(ledger.payloads(AggregateIds.preAuthKey(1)))
        .containsExactly(
            new PreAuthKeyCreatedEvent(
                1,
                m.group(1),
                Secrets.sha256(m.group(2)),
                1L,
                false,
                false,
                issued.expiration(),
                List.of()));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new PreAuthKeyReservedEvent(1, m.group(1)));
    assertThat(ledger.allPayloads().toString()).doesNotContain(m.group(2));
    assertThat(
            ledger.stream(AggregateIds.preAuthKey(1))
                .get(0)
                .getMetaData()
                .get(AuditMetadata.ACTOR_NAME))
        .isEqualTo("alice");
  }

  @Test
  void canCreateATagsOnlyReusableEphemeralKey() {
    ledger.send(new SetPolicyCommand("{\"tagOwners\": {\"tag:server\": [], \"tag:db\": []}}"));
    Instant expiration = Fixtures.NOW.plus(Duration.ofDays(3));
    IssuedPreAuthKey issued =
        ledger.send(
            new CreatePreAuthKeyCommand(
                null, true, true, expiration, List.of("tag:server", "tag:server", "tag:db")));

    PreAuthKeyCreatedEvent created =
        (PreAuthKeyCreatedEvent) ledger.payloads(AggregateIds.preAuthKey(1)).get(0);
    assertThat(created.userId()).isNull();
    assertThat(created.reusable()).isTrue();
    assertThat(created.ephemeral()).isTrue();
    assertThat(created.expiration()).isEqualTo(expiration);
    assertThat(created.aclTags()).containsExactly("tag:server", "tag:db");
    assertThat(issued.expiration()).isEqualTo(expiration);
  }

  @Test
  void cannotCreateAKeyWithoutUserOrTags() {
    assertRefused(
        new CreatePreAuthKeyCommand(null, false, false, null, List.of()),
        RefusalKind.INVALID,
        "a pre-auth key needs a user or tags");
  }

  @Test
  void cannotCreateAKeyWithAMalformedTag() {
    assertRefused(
        new CreatePreAuthKeyCommand(1L, false, false, null, List.of("server")),
        RefusalKind.INVALID,
        "invalid tag 'server': tags look like tag:name");
  }

  @Test
  void cannotCreateAKeyWithATagNoPolicyDeclaresAsNodesTagCannotApplyIt() {
    assertRefused(
        new CreatePreAuthKeyCommand(null, true, false, null, List.of("tag:server")),
        RefusalKind.INVALID,
        "tag:server is not declared in the policy's tagOwners");
    ledger.send(new SetPolicyCommand("{\"tagOwners\": {\"tag:db\": []}}"));
    assertRefused(
        new CreatePreAuthKeyCommand(1L, true, false, null, List.of("tag:db", "tag:server")),
        RefusalKind.INVALID,
        "tag:server is not declared in the policy's tagOwners");
  }

  @Test
  void cannotCreateAKeyForAnUnknownUser() {
    assertRefused(
        new CreatePreAuthKeyCommand(5L, false, false, null, List.of()),
        RefusalKind.NOT_FOUND,
        "no user with id 5");
  }

  @Test
  void cannotCreateAKeyThatHasAlreadyExpired() {
    assertRefused(
        new CreatePreAuthKeyCommand(1L, false, false, Fixtures.NOW.minusSeconds(1), List.of()),
        RefusalKind.INVALID,
        "the expiration is in the past");
  }

  @Test
  void canExpireAndDeleteAKeyThroughTheBus() {
    ledger.send(new CreatePreAuthKeyCommand(1L, false, false, null, null));
    ledger.clock.advance(Duration.ofMinutes(5));

    ledger.send(new ExpirePreAuthKeyCommand(1));
    ledger.send(new DeletePreAuthKeyCommand(1));

    assertThat(ledger.payloads(AggregateIds.preAuthKey(1)))
        .endsWith(
            new PreAuthKeyExpiredEvent(1, Fixtures.NOW.plus(Duration.ofMinutes(5))),
            new PreAuthKeyDeletedEvent(1));
    assertThatThrownBy(() -> ledger.send(new DeletePreAuthKeyCommand(1)))
        .isInstanceOf(CommandRefusedException.class);
    assertThat(ledger.payloads(AggregateIds.preAuthKey(1)))
        .last()
        .isInstanceOf(CommandRefusedEvent.class);
  }

  private void assertRefused(Object command, RefusalKind kind, String reason) {
    int before = ledger.allPayloads().size();
    assertThatThrownBy(() -> ledger.send(command))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage(reason);
    List<Object> after = ledger.allPayloads();
    assertThat(after).hasSize(before + 1);
    assertThat(after.get(before))
        .isInstanceOfSatisfying(
            CommandRefusedEvent.class,
            refusal -> {
              assertThat(refusal.kind()).isEqualTo(kind);
              assertThat(refusal.reason()).isEqualTo(reason);
              assertThat(refusal.command()).isEqualTo(command.getClass().getSimpleName());
            });
    assertThat(ledger.stream(AggregateIds.preAuthKey(1))).isEmpty();
  }
}
