// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.user;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;
import java.util.Objects;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A person who owns nodes and pre-auth keys. Name uniqueness is the {@code Tailnet}'s business, not
 * this one's.
 */
public class User {

  @AggregateIdentifier private String id;
  private long userId;
  private String name;
  private String displayName;
  private String email;
  private String pictureUrl;
  private boolean deleted;

  /** Required by Axon to rebuild the aggregate from its events. */
  protected User() {}

  User(long userId, CreateUserCommand command) {
    apply(
        new UserCreatedEvent(
            userId,
            command.name(),
            command.displayName(),
            command.email(),
            command.pictureUrl(),
            command.provider(),
            command.providerId()));
  }

  void rename(String newName) {
    apply(new UserRenamedEvent(userId, name, newName));
  }

  /** False when the profile already reads so (nothing is recorded). */
  boolean updateProfile(String newDisplayName, String newEmail, String newPictureUrl) {
    if (Objects.equals(displayName, newDisplayName)
        && Objects.equals(email, newEmail)
        && Objects.equals(pictureUrl, newPictureUrl)) {
      return false;
    }
    apply(
        new UserProfileUpdatedEvent(
            userId, displayName, email, pictureUrl, newDisplayName, newEmail, newPictureUrl));
    return true;
  }

  void delete() {
    apply(new UserDeletedEvent(userId, name));
  }

  public String name() {
    return name;
  }

  public String email() {
    return email;
  }

  public boolean deleted() {
    return deleted;
  }

  @EventSourcingHandler
  void on(UserCreatedEvent event) {
    id = AggregateIds.user(event.userId());
    userId = event.userId();
    name = event.name();
    displayName = event.displayName();
    email = event.email();
    pictureUrl = event.pictureUrl();
  }

  @EventSourcingHandler
  void on(UserProfileUpdatedEvent event) {
    displayName = event.displayName();
    email = event.email();
    pictureUrl = event.pictureUrl();
  }

  @EventSourcingHandler
  void on(UserRenamedEvent event) {
    name = event.newName();
  }

  @EventSourcingHandler
  void on(UserDeletedEvent event) {
    deleted = true;
  }
}
