// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import io.ledgerscale.projections.support.EventFeed;
import io.ledgerscale.projections.support.ProjectionDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserProjectionTest {
  private UserProjection users;
  private EventFeed feed;

  @BeforeEach
  void setUp() {
    users = new UserProjection(ProjectionDatabase.fresh());
    feed = new EventFeed(users);
  }

  @Test
  void canListCreatedUsersWithCreationTime() {
    feed.publish(
        "user-1",
        new UserCreatedEvent(1, "alice", "Alice A", "alice@example.com", null, null, null));
    feed.publish("user-2", new UserCreatedEvent(2, "bob", null, null, null, "oidc", "sub-2"));

    assertThat(users.handle(new FetchUsersQuery(null, null, null)))
        .extracting(UserView::name)
        .containsExactly("alice", "bob");
    UserView bob = users.handle(new FetchUsersQuery(2L, null, null)).get(0);
    assertThat(bob.provider()).isEqualTo("oidc");
    assertThat(bob.providerId()).isEqualTo("sub-2");
    assertThat(bob.createdAt()).isEqualTo(feed.now());
  }

  @Test
  void shouldFilterByNameAndEmail() {
    feed.publish(
        "user-1", new UserCreatedEvent(1, "alice", null, "alice@example.com", null, null, null));
    feed.publish(
        "user-2", new UserCreatedEvent(2, "bob", null, "bob@example.com", null, null, null));

    assertThat(users.handle(new FetchUsersQuery(null, "bob", null)))
        .extracting(UserView::id)
        .containsExactly(2L);
    assertThat(users.handle(new FetchUsersQuery(null, null, "alice@example.com")))
        .extracting(UserView::id)
        .containsExactly(1L);
    assertThat(users.handle(new FetchUsersQuery(null, "carol", null))).isEmpty();
  }

  @Test
  void shouldFollowRenamesAndDeletes() {
    feed.publish("user-1", new UserCreatedEvent(1, "alice", null, null, null, null, null));
    feed.publish("user-2", new UserCreatedEvent(2, "bob", null, null, null, null, null));
    feed.publish("user-1", new UserRenamedEvent(1, "alice", "alicia"));
    feed.publish("user-2", new UserDeletedEvent(2, "bob"));

    assertThat(users.handle(new FetchUsersQuery(null, null, null)))
        .extracting(UserView::name)
        .containsExactly("alicia");
  }

  @Test
  void shouldFollowProfileUpdates() {
    feed.publish("user-1", new UserCreatedEvent(1, "alice", "Alice", null, null, "oidc", "iss/1"));
    feed.publish(
        "user-1",
        new UserProfileUpdatedEvent(
            1, "Alice", null, null, "Alice A.", "alice@example.com", "https://pics/a"));

    UserView alice = users.handle(new FetchUsersQuery(1L, null, null)).get(0);
    assertThat(alice.displayName()).isEqualTo("Alice A.");
    assertThat(alice.email()).isEqualTo("alice@example.com");
    assertThat(alice.pictureUrl()).isEqualTo("https://pics/a");
    assertThat(alice.name()).isEqualTo("alice");
  }
}
