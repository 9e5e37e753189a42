// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.apikey;

import static io.ledgerscale.domain.support.Fixtures.NOW;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.apikey.MarkApiKeyUsedCommand;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.CommandRefusedEvent;
import io.ledgerscale.domain.api.audit.CommandRefusedException;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.audit.RefusalKind;
import io.ledgerscale.domain.support.AuditMatchers;
import io.ledgerscale.domain.support.Fixtures;
import java.time.Duration;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
  private static final ApiKeyCreatedEvent CREATED =
      new ApiKeyCreatedEvent(2, "abcdefghijkl", "hash", NOW.plus(Duration.ofDays(90)));
  private static final MetaData REST = AuditMetadata.system(Origin.REST, "api-key-use");

  private AggregateTestFixture<ApiKey> fixture;

  @BeforeEach
  void setUp() {
    fixture = Fixtures.fixture(ApiKey.class);
  }

  @Test
  void canRecordThatAKeyWasUsed() {
    fixture
        .given(CREATED)
        .when(new MarkApiKeyUsedCommand(2, NOW), REST)
        .expectEvents(new ApiKeyUsedEvent(2, NOW))
        .expectEventsMatching(AuditMatchers.allCarry(REST));
  }

  @Test
  void shouldNotRecordUsesLessThanAMinuteApart() {
    fixture
        .given(CREATED, new ApiKeyUsedEvent(2, NOW))
        .when(new MarkApiKeyUsedCommand(2, NOW.plusSeconds(59)))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void shouldRecordAUseAMinuteLater() {
    fixture
        .given(CREATED, new ApiKeyUsedEvent(2, NOW))
        .when(new MarkApiKeyUsedCommand(2, NOW.plusSeconds(60)))
        .expectEvents(new ApiKeyUsedEvent(2, NOW.plusSeconds(60)));
  }

  @Test
  void cannotMarkADeletedKeyUsed() {
    fixture
        .given(CREATED, new ApiKeyDeletedEvent(2, "abcdefghijkl"))
        .when(new MarkApiKeyUsedCommand(2, NOW))
        .expectException(CommandRefusedException.class)
        .expectEvents(
            new CommandRefusedEvent(
                "MarkApiKeyUsedCommand",
                "ApiKey",
                "2",
                RefusalKind.NOT_FOUND,
                "API key 2 was deleted"));
  }
}
