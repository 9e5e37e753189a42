// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.policy.SetPolicyCommand;
import io.ledgerscale.domain.api.registration.RequestRegistrationCommand;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.RenameUserCommand;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commands that reach the aggregates past the edges with a value out of bounds: each is refused,
 * and the refusal records a bounded, escaped excerpt and the length, never the value.
 */
class RefusalExcerptsTest {
  private final InJvmLedger ledger = new InJvmLedger();

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  private CommandRefusedEvent refusal(Object command) {
    assertThatThrownBy(() -> ledger.send(command))
        .isInstanceOf(CommandRefusedException.class)
        .satisfies(
            e -> assertThat(((CommandRefusedException) e).kind()).isEqualTo(RefusalKind.INVALID));
    List<Object> all = ledger.allPayloads();
    Object last = all.get(all.size() - 1);
    assertThat(last).isInstanceOf(CommandRefusedEvent.class);
    CommandRefusedEvent event = (CommandRefusedEvent) last;
    String recorded = event.reason() + event.targetId();
    assertThat(recorded)
        .hasSizeLessThan(700)
        .doesNotContain("\u0000")
        .doesNotContain("q".repeat(65));
    return event;
  }

  @Test
  void shouldRecordAnExcerptOfA3000CharacterNameNotTheName() {
    CommandRefusedEvent event =
        refusal(new CreateUserCommand("q".repeat(3_000), null, null, null, null, null));
    assertThat(event.targetId()).isEqualTo("q".repeat(64) + "… (3000 chars)");
    assertThat(event.reason()).contains("(3000 chars)");
  }

  @Test
  void shouldEscapeANulInARefusedName() {
    long alice = ledger.send(new CreateUserCommand("alice", null, null, null, null, null));
    CommandRefusedEvent event = refusal(new RenameUserCommand(alice, "al\u0000ice"));
    assertThat(event.reason()).contains("al\\u0000ice");
  }

  @Test
  void cannotCreateAUserWithANulInTheProfile() {
    assertThat(refusal(new CreateUserCommand("bob", "B\u0000b", null, null, null, null)).reason())
        .isEqualTo("displayName: no control characters (NUL, newline, ...) or broken UTF-16");
    refusal(new CreateUserCommand("bob", null, "b\u0000@example.com", null, null, null));
    refusal(new CreateUserCommand("bob", null, null, "q".repeat(5_000), null, null));
  }

  @Test
  void cannotIssueAKeyThatExpiresInTheYear999999999() {
    refusal(new CreateApiKeyCommand(Instant.parse("+999999999-12-31T23:59:59Z")));
  }

  @Test
  void cannotRequestARegistrationWithAHugeHostnameOrFarExpiry() {
    refusal(
        new RequestRegistrationCommand(
            "mkey:" + "a".repeat(64),
            "nodekey:" + "b".repeat(64),
            "q".repeat(500_000),
            List.of(),
            null));
    refusal(
        new RequestRegistrationCommand(
            "mkey:" + "a".repeat(64),
            "nodekey:" + "b".repeat(64),
            "laptop",
            List.of(),
            Instant.parse("+999999999-12-31T23:59:59Z")));
  }

  @Test
  void cannotSetAPolicyWithANulOrOverItsSize() {
    refusal(new SetPolicyCommand("{\"acls\": []}\u0000"));
    refusal(new SetPolicyCommand("{" + " ".repeat(InputBounds.POLICY_MAX) + "}"));
  }
}
