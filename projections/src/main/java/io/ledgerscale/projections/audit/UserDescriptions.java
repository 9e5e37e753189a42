// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import static io.ledgerscale.projections.audit.Values.id;
import static io.ledgerscale.projections.audit.Values.none;
import static io.ledgerscale.projections.audit.Values.of;

import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserDeletedEvent;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.api.user.UserRenamedEvent;

/** Users: created, renamed, profile updated, deleted. */
final class UserDescriptions {
  private UserDescriptions() {}

  static void register(Descriptions d) {
    d.on(UserCreatedEvent.class, UserDescriptions::userCreated);
    d.on(UserRenamedEvent.class, UserDescriptions::userRenamed);
    d.on(UserProfileUpdatedEvent.class, UserDescriptions::userProfileUpdated);
    d.on(UserDeletedEvent.class, UserDescriptions::userDeleted);
  }

  private static AuditDescription userCreated(UserCreatedEvent e) {
    return new AuditDescription(
        "user",
        id(e.userId()),
        none(),
        of(
            "name",
            e.name(),
            "displayName",
            e.displayName(),
            "email",
            e.email(),
            "provider",
            e.provider()),
        "created user " + e.name());
  }

  private static AuditDescription userRenamed(UserRenamedEvent e) {
    return new AuditDescription(
        "user",
        id(e.userId()),
        of("name", e.oldName()),
        of("name", e.newName()),
        "renamed user " + e.oldName() + " to " + e.newName());
  }

  private static AuditDescription userProfileUpdated(UserProfileUpdatedEvent e) {
    return new AuditDescription(
        "user",
        id(e.userId()),
        of(
            "displayName",
            e.oldDisplayName(),
            "email",
            e.oldEmail(),
            "pictureUrl",
            e.oldPictureUrl()),
        of("displayName", e.displayName(), "email", e.email(), "pictureUrl", e.pictureUrl()),
        "updated the profile of user " + e.userId());
  }

  private static AuditDescription userDeleted(UserDeletedEvent e) {
    return new AuditDescription(
        "user", id(e.userId()), of("name", e.name()), none(), "deleted user " + e.name());
  }
}
