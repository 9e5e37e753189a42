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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the user an OIDC login belongs to (by provider id, iss/sub), creating it on the first login
 * and bringing its profile up to date on later ones. The person acts for themselves: the commands
 * carry them as actor.
 *
 * <p>Which account that is gets decided in one place, {@link #accountFor}: the user this identity
 * logged in as before, under its current name; else a new user with the name the claims ask for;
 * and when another user already holds that name (an admin-made user, another IdP account), a new
 * user with that name and a suffix derived from the identity, {@code alice-3f9a1c2b}: the same
 * identity always gets the same name, nobody inherits another person's account, and nobody is
 * stuck. The audit trail shows the new user created by the identity under the name it asked for.
 */
class OidcUsers {
  private static final Logger log = LoggerFactory.getLogger(OidcUsers.class);
  private static final int MAX_NAME = 255;

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

  /** The account this identity would act as now (see the class comment); changes nothing. */
  OidcAccount accountFor(OidcIdentity who) {
    List<UserView> users = all();
    Optional<UserView> known = byProviderId(users, who.providerId());
    if (known.isPresent()) {
      return new OidcAccount(known.get().id(), known.get().name(), who.name());
    }
    Set<String> taken = users.stream().map(UserView::name).collect(Collectors.toSet());
    if (!taken.contains(who.name())) {
      return new OidcAccount(null, who.name(), who.name());
    }
    String digest = HexFormat.of().formatHex(sha256(who.providerId()));
    for (int length = 8; length <= digest.length(); length += 8) {
      String suffix = "-" + digest.substring(0, length);
      String base = who.name();
      if (base.length() + suffix.length() > MAX_NAME) {
        base = base.substring(0, MAX_NAME - suffix.length());
      }
      if (!taken.contains(base + suffix)) {
        return new OidcAccount(null, base + suffix, who.name());
      }
    }
    throw new IllegalStateException("no free user name for " + who.providerId());
  }

  /**
   * Creates or updates the account the confirmation page named. Empty when that account no longer
   * fits (the user was deleted, or its name was taken meanwhile): the person starts again and sees
   * the account as it is now.
   */
  Optional<LoggedIn> provision(
      OidcIdentity who, OidcAccount account, String sourceIp, String correlationId) {
    if (!account.isNew()) {
      Optional<UserView> known = byProviderId(all(), who.providerId());
      if (known.isEmpty() || known.get().id() != account.userId()) {
        return Optional.empty();
      }
      LoggedIn user = new LoggedIn(known.get().id(), known.get().name());
      commands.sendAndWait(
          new UpdateUserProfileCommand(
              user.userId(), who.displayName(), who.email(), who.pictureUrl()),
          AuditMetadata.of(user.actor(), Origin.OIDC, sourceIp, correlationId));
      return Optional.of(user);
    }
    if (!accountFor(who).equals(account)) {
      return Optional.empty();
    }
    if (account.renamedForClash()) {
      log.warn(
          "OIDC identity {} asked for user name {}, which another user holds; it becomes user {}",
          who.providerId(),
          account.wanted(),
          account.name());
    }
    // before the user exists the only stable id is the provider's; the actor's name is the one the
    // claims asked for, so the audit trail shows a clash next to the name given instead
    Actor newcomer = new Actor(ActorType.USER, who.providerId(), account.wanted());
    long userId =
        commands.sendAndWait(
            new CreateUserCommand(
                account.name(),
                who.displayName(),
                who.email(),
                who.pictureUrl(),
                OidcIdentity.PROVIDER,
                who.providerId()),
            AuditMetadata.of(newcomer, Origin.OIDC, sourceIp, correlationId));
    return Optional.of(new LoggedIn(userId, account.name()));
  }

  /** The user this identity logged in as before, without creating or updating anything. */
  Optional<LoggedIn> existing(OidcIdentity who) {
    return byProviderId(all(), who.providerId()).map(u -> new LoggedIn(u.id(), u.name()));
  }

  private List<UserView> all() {
    return gateway.queryList(new FetchUsersQuery(null, null, null), UserView.class);
  }

  private static Optional<UserView> byProviderId(List<UserView> users, String providerId) {
    return users.stream()
        .filter(
            u -> OidcIdentity.PROVIDER.equals(u.provider()) && providerId.equals(u.providerId()))
        .findFirst();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
