// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.apikey.ApiKeyCreatedEvent;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.ApiKeyCredential;
import io.ledgerscale.domain.api.query.FetchApiKeysQuery;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.FindApiKeyCredentialQuery;
import io.ledgerscale.domain.api.query.FindPendingRegistrationQuery;
import io.ledgerscale.domain.api.query.PendingRegistrationView;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.registration.RegistrationRequestedEvent;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.projections.apikey.ApiKeyProjection;
import io.ledgerscale.projections.audit.AuditTrailProjection;
import io.ledgerscale.projections.registration.PendingRegistrationProjection;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import io.ledgerscale.projections.user.UserProjection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Values the command side accepted (or an older version, or a restored backup, left in the event
 * store) that PostgreSQL would refuse as they are: every one reaches the views.
 */
class StorableValuesTest {
  private static final String LONG = "x".repeat(3000);
  private static final Instant FOREVER = Instant.parse("+999999999-12-31T23:59:59Z");

  private JdbcTemplate jdbc;
  private UserProjection users;
  private ApiKeyProjection apiKeys;
  private PendingRegistrationProjection registrations;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    jdbc = ProjectionDatabase.fresh();
    users = new UserProjection(jdbc);
    apiKeys = new ApiKeyProjection(jdbc);
    registrations = new PendingRegistrationProjection(jdbc);
    feed = new EventFeed(users, apiKeys, registrations, new AuditTrailProjection(jdbc));
  }

  @Test
  void aNulCharacterIsStoredAsAReplacementCharacter() {
    feed.publish(
        "user-1", new UserCreatedEvent(1, "nul\u0000user", null, "a\u0000b@x", null, null, null));

    UserView user = users.handle(new FetchUsersQuery(0L, null, null)).get(0);
    assertThat(user.name()).isEqualTo("nul\uFFFDuser");
    assertThat(user.email()).isEqualTo("a\uFFFDb@x");
    assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_entry", Long.class)).isEqualTo(1);
  }

  @Test
  void anInstantBeyondTimestamptzIsStoredAsInfinity() {
    feed.publish("apikey-1", new ApiKeyCreatedEvent(1, "forever00001", "hash", FOREVER));
    feed.publish(
        "apikey-2",
        new ApiKeyCreatedEvent(2, "longago00001", "hash", Instant.parse("-99999-01-01T00:00:00Z")));

    assertThat(apiKeys.handle(new FetchApiKeysQuery()).get(0).expiration()).isEqualTo(Instant.MAX);
    assertThat(apiKeys.handle(new FetchApiKeysQuery()).get(1).expiration()).isEqualTo(Instant.MIN);
    assertThat(
            jdbc.queryForObject(
                "SELECT expiration = 'infinity' FROM api_key_view WHERE id = 1", Boolean.class))
        .isTrue();
  }

  @Test
  void aValueLongerThanAnIndexRowIsStoredAndFound() {
    feed.publish("apikey-1", new ApiKeyCreatedEvent(1, LONG, "hash", null));
    feed.as(new Actor(ActorType.NODE, LONG, LONG), Origin.NODE, "127.0.0.1", LONG)
        .publish(
            "registration-1",
            new RegistrationRequestedEvent(
                LONG, "mkey:1", "nodekey:1", "host\u0000name", List.of("tag:\u0000"), null, null));
    feed.publish(
        "registration-1",
        new RegistrationRequestedEvent(
            LONG, "mkey:1", "nodekey:2", "again", List.of(), null, null));

    ApiKeyCredential key = apiKeys.handle(new FindApiKeyCredentialQuery(LONG));
    assertThat(key).isNotNull();
    PendingRegistrationView r = registrations.handle(new FindPendingRegistrationQuery(LONG));
    assertThat(r.hostname()).isEqualTo("again");
    assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_entry", Long.class)).isEqualTo(3);
  }
}
