// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyDeletedEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyExpiredEvent;
import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.ApiKeyView;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import io.ledgerscale.domain.api.query.FindApiKeyCredentialQuery;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyProjectionTest {
  private static final Instant EXPIRATION = Instant.parse("2027-01-01T00:00:00Z");
  private ApiKeyProjection apiKeys;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    apiKeys = new ApiKeyProjection(ProjectionDatabase.fresh());
    feed = new EventFeed(apiKeys);
    feed.publish(
        "apikey-1", new ApiKeyCreatedEvent(1, "aaaabbbbcccc", "sha256-of-secret", EXPIRATION));
  }

  @Test
  void canLookUpCredentialByPrefix() {
    ApiKeyCredential credential = apiKeys.handle(new FindApiKeyCredentialQuery("aaaabbbbcccc"));
    assertThat(credential.id()).isEqualTo(1);
    assertThat(credential.secretHash()).isEqualTo("sha256-of-secret");
    assertThat(credential.expiration()).isEqualTo(EXPIRATION);
    assertThat(credential.deleted()).isFalse();
    assertThat(apiKeys.handle(new FindApiKeyCredentialQuery("unknownprefx"))).isNull();
  }

  @Test
  void shouldRecordLastUseAndExpiry() {
    Instant used = Instant.parse("2026-11-05T08:00:00Z");
    Instant expired = Instant.parse("2026-11-06T08:00:00Z");
    feed.publish("apikey-1", new ApiKeyUsedEvent(1, used));
    feed.publish("apikey-1", new ApiKeyExpiredEvent(1, "aaaabbbbcccc", expired));

    ApiKeyView view = apiKeys.handle(new FetchApiKeysQuery()).get(0);
    assertThat(view.lastSeen()).isEqualTo(used);
    assertThat(view.expiration()).isEqualTo(expired);
    assertThat(view.createdAt()).isNotNull();
  }

  @Test
  void shouldHideDeletedKeyFromListButFlagItsCredential() {
    feed.publish("apikey-1", new ApiKeyDeletedEvent(1, "aaaabbbbcccc"));

    assertThat(apiKeys.handle(new FetchApiKeysQuery())).isEmpty();
    assertThat(apiKeys.handle(new FindApiKeyCredentialQuery("aaaabbbbcccc")).deleted()).isTrue();
  }
}
