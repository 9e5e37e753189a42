// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.preauthkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.preauthkey.PreAuthKeyCreatedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyDeletedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyExpiredEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.query.FetchPreAuthKeysQuery;
import io.ledgerscale.domain.api.query.PreAuthKeyView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import io.ledgerscale.projections.user.UserProjection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class PreAuthKeyProjectionTest {
  private static final Instant EXPIRATION = Instant.parse("2026-12-01T00:00:00Z");
  private PreAuthKeyProjection keys;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    JdbcTemplate jdbc = ProjectionDatabase.fresh();
    keys = new PreAuthKeyProjection(jdbc);
    feed = new EventFeed(new UserProjection(jdbc), keys);
    feed.publish("user-1", new UserCreatedEvent(1, "alice", null, null, null, null, null));
    feed.publish(
        "preauthkey-1",
        new PreAuthKeyCreatedEvent(
            1, "k1prefix0001", "hash-1", 1L, false, false, EXPIRATION, List.of()));
    feed.publish(
        "preauthkey-2",
        new PreAuthKeyCreatedEvent(
            2, "k2prefix0002", "hash-2", null, true, true, EXPIRATION, List.of("tag:ci")));
  }

  @Test
  void canListKeysPerUserWithoutSecrets() {
    PreAuthKeyView key = keys.handle(new FetchPreAuthKeysQuery(1L)).get(0);
    assertThat(key.id()).isEqualTo(1);
    assertThat(key.prefix()).isEqualTo("k1prefix0001");
    assertThat(key.userName()).isEqualTo("alice");
    assertThat(key.used()).isFalse();
    assertThat(key.expiration()).isEqualTo(EXPIRATION);
    assertThat(key.toString()).doesNotContain("hash-1");

    PreAuthKeyView tagKey = keys.handle(new FetchPreAuthKeysQuery(null)).get(1);
    assertThat(tagKey.userId()).isNull();
    assertThat(tagKey.aclTags()).containsExactly("tag:ci");
    assertThat(tagKey.reusable()).isTrue();
    assertThat(tagKey.ephemeral()).isTrue();
  }

  @Test
  void shouldMarkUsedExpiredAndDeleted() {
    Instant now = Instant.parse("2026-11-02T00:00:00Z");
    feed.publish("preauthkey-1", new PreAuthKeyUsedEvent(1, 5));
    feed.publish("preauthkey-1", new PreAuthKeyExpiredEvent(1, now));
    feed.publish("preauthkey-2", new PreAuthKeyDeletedEvent(2));

    List<PreAuthKeyView> all = keys.handle(new FetchPreAuthKeysQuery(null));
    assertThat(all.get(0).used()).isTrue();
    assertThat(all.get(0).expiration()).isEqualTo(now);
    assertThat(all.get(0).deleted()).isFalse();
    assertThat(all.get(1).deleted()).isTrue();
  }
}
