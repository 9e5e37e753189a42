// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.oidc;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.UpdateUserProfileCommand;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * Finds the user an OIDC login belongs to (by provider id, iss/sub), creating it on the first login
 * and bringing its profile up to date on later ones. The person acts for themselves: the commands
 * carry them as actor.
 */
class OidcUsers {
  private final AdminGateway gateway;
  private final CommandGateway commands;

  OidcUsers(AdminGateway gateway, CommandGateway commands) {
    this.gateway = gateway;
    this.commands = commands;
  }

  /** The user's numeric id and name. */
  record LoggedIn(long userId, String name) {
    Actor actor() {
      return new Actor(ActorType.USER, Long.toString(userId), name);
    }
  }

  LoggedIn provision(OidcIdentity who, String sourceIp, String correlationId) {
    Optional<UserView> known = find(who.providerId());
    if (known.isPresent()) {
      LoggedIn user = new LoggedIn(known.get().id(), known.get().name());
      commands.sendAndWait(
          new UpdateUserProfileCommand(
              user.userId(), who.displayName(), who.email(), who.pictureUrl()),
          AuditMetadata.of(user.actor(), Origin.OIDC, sourceIp, correlationId));
      return user;
    }
    // before the user exists the only stable id is the provider's
    Actor newcomer = new Actor(ActorType.USER, who.providerId(), who.name());
    long userId =
        commands.sendAndWait(
            new CreateUserCommand(
                who.name(),
                who.displayName(),
                who.email(),
                who.pictureUrl(),
                OidcIdentity.PROVIDER,
                who.providerId()),
            AuditMetadata.of(newcomer, Origin.OIDC, sourceIp, correlationId));
    return new LoggedIn(userId, who.name());
  }

  /** The user this identity logged in as before, without creating or updating anything. */
  Optional<LoggedIn> existing(OidcIdentity who) {
    return find(who.providerId()).map(u -> new LoggedIn(u.id(), u.name()));
  }

  private Optional<UserView> find(String providerId) {
    return gateway.queryList(new FetchUsersQuery(null, null, null), UserView.class).stream()
        .filter(
            u -> OidcIdentity.PROVIDER.equals(u.provider()) && providerId.equals(u.providerId()))
        .findFirst();
  }
}
