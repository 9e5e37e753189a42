// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.apikey.CreateApiKeyCommand;
import io.ledgerscale.domain.api.apikey.DeleteApiKeyCommand;
import io.ledgerscale.domain.api.apikey.ExpireApiKeyCommand;
import io.ledgerscale.domain.api.apikey.IssuedApiKey;
import io.ledgerscale.domain.api.apikey.MarkApiKeyUsedCommand;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.api.tailnet.ApiKeyReleasedEvent;
import io.ledgerscale.domain.support.Fixtures;
import io.ledgerscale.domain.support.InJvmLedger;
import io.ledgerscale.domain.support.Secrets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiKeyCommandHandlerTest {
  private static final Pattern KEY =
      Pattern.compile("lskey-api-([a-z0-9]{12})-([A-Za-z0-9_-]{43})");

  private final InJvmLedger ledger = new InJvmLedger();

  @AfterEach
  void tearDown() {
    ledger.close();
  }

  @Test
  void canCreateAnApiKeyValidForNinetyDaysByDefault() {
    IssuedApiKey issued = ledger.send(new CreateApiKeyCommand(null));

    Matcher m = KEY.matcher(issued.key());
    assertThat(m.matches()).as(issued.key()).isTrue();
    assertThat(issued.expiration()).isEqualTo(Fixtures.NOW.plus(Duration.ofDays(90)));
    assertThat(ledger.payloads(AggregateIds.apiKey(issued.id())))
        .containsExactly(
            new ApiKeyCreatedEvent(
                issued.id(), m.group(1), Secrets.sha256(m.group(2)), issued.expiration()));
    assertThat(ledger.allPayloads().toString()).doesNotContain(m.group(2));
  }

  @Test
  void cannotCreateAnApiKeyThatHasAlreadyExpired() {
    assertThatThrownBy(() -> ledger.send(new CreateApiKeyCommand(Fixtures.NOW)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("the expiration is in the past");
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isInstanceOf(CommandRefusedEvent.class);
    assertThat(ledger.stream(AggregateIds.apiKey(1))).isEmpty();
  }

  @Test
  void canExpireAnApiKeyByPrefix() {
    IssuedApiKey issued = ledger.send(new CreateApiKeyCommand(null));
    String prefix = prefixOf(issued);
    ledger.clock.advance(Duration.ofHours(1));

    ledger.send(new ExpireApiKeyCommand(null, prefix));

    assertThat(ledger.payloads(AggregateIds.apiKey(1)))
        .last()
        .isEqualTo(new ApiKeyExpiredEvent(1, prefix, Fixtures.NOW.plus(Duration.ofHours(1))));
    assertThatThrownBy(() -> ledger.send(new ExpireApiKeyCommand(1L, null)))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("API key " + prefix + " has already expired");
  }

  @Test
  void canDeleteAnApiKeyByIdAndItsPrefixNoLongerResolves() {
    IssuedApiKey issued = ledger.send(new CreateApiKeyCommand(null));
    String prefix = prefixOf(issued);

    ledger.send(new DeleteApiKeyCommand(1L, null));

    assertThat(ledger.payloads(AggregateIds.apiKey(1)))
        .last()
        .isEqualTo(new ApiKeyDeletedEvent(1, prefix));
    assertThat(ledger.payloads(AggregateIds.TAILNET))
        .last()
        .isEqualTo(new ApiKeyReleasedEvent(1, prefix));
    assertThatThrownBy(() -> ledger.send(new DeleteApiKeyCommand(null, prefix)))
        .isInstanceOf(CommandRefusedException.class)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.NOT_FOUND);
  }

  @Test
  void cannotNameAKeyByNothingOrByAnIdAndAPrefixThatDisagree() {
    ledger.send(new CreateApiKeyCommand(null));
    IssuedApiKey second = ledger.send(new CreateApiKeyCommand(null));

    assertThatThrownBy(() -> ledger.send(new DeleteApiKeyCommand(null, " ")))
        .isInstanceOf(CommandRefusedException.class)
        .hasMessage("name the API key by id or by prefix");
    assertThatThrownBy(() -> ledger.send(new DeleteApiKeyCommand(1L, prefixOf(second))))
        .isInstanceOf(CommandRefusedException.class)
        .extracting(e -> ((CommandRefusedException) e).kind())
        .isEqualTo(RefusalKind.NOT_FOUND);
    assertThat(ledger.payloads(AggregateIds.apiKey(1))).hasSize(1);
    assertThat(ledger.payloads(AggregateIds.apiKey(2))).hasSize(1);
  }

  @Test
  void canMarkAnApiKeyUsedThroughTheBus() {
    ledger.send(new CreateApiKeyCommand(null));
    ledger.send(new MarkApiKeyUsedCommand(1, Fixtures.NOW.plusSeconds(5)));

    assertThat(ledger.payloads(AggregateIds.apiKey(1)))
        .last()
        .isEqualTo(new ApiKeyUsedEvent(1, Fixtures.NOW.plusSeconds(5)));
  }

  private static String prefixOf(IssuedApiKey issued) {
    Matcher m = KEY.matcher(issued.key());
    assertThat(m.matches()).isTrue();
    return m.group(1);
  }
}
