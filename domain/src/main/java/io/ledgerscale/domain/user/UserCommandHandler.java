// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.user;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.bounds.BoundViolation;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import io.ledgerscale.domain.api.user.DeleteUserCommand;
import io.ledgerscale.domain.api.user.RenameUserCommand;
import io.ledgerscale.domain.api.user.UpdateUserProfileCommand;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * User commands: the tailnet keeps names unique and refuses deleting a user who still owns nodes.
 */
public class UserCommandHandler {

  private final Repository<Tailnet> tailnets;
  private final Repository<User> users;

  public UserCommandHandler(Repository<Tailnet> tailnets, Repository<User> users) {
    this.tailnets = tailnets;
    this.users = users;
  }

  /** Answers the new user's numeric id. */
  @CommandHandler
  public long handle(CreateUserCommand command) throws Exception {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(
        t ->
            t.requireWithinBounds(
                command,
                "User",
                null,
                InputBounds.first(
                    profile(command.displayName(), command.email(), command.pictureUrl()),
                    InputBounds.text("provider", command.provider(), InputBounds.USER_NAME_MAX),
                    InputBounds.text(
                        "providerId", command.providerId(), InputBounds.PROVIDER_ID_MAX))));
    long userId = tailnet.invoke(t -> t.reserveUser(command, command.name()));
    users.newInstance(() -> new User(userId, command));
    return userId;
  }

  @CommandHandler
  public void handle(RenameUserCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    boolean renamed =
        tailnet.invoke(t -> t.renameUser(command, command.userId(), command.newName()));
    if (renamed) {
      users.load(AggregateIds.user(command.userId())).execute(u -> u.rename(command.newName()));
    }
  }

  /** Answers whether anything changed. */
  @CommandHandler
  public boolean handle(UpdateUserProfileCommand command) {
    Tailnet.open(tailnets)
        .execute(
            t -> {
              t.requireUser(command, command.userId());
              t.requireWithinBounds(
                  command,
                  "User",
                  command.userId(),
                  profile(command.displayName(), command.email(), command.pictureUrl()));
            });
    return users
        .load(AggregateIds.user(command.userId()))
        .invoke(u -> u.updateProfile(command.displayName(), command.email(), command.pictureUrl()));
  }

  private static Optional<BoundViolation> profile(
      String displayName, String email, String pictureUrl) {
    return InputBounds.first(
        InputBounds.displayName("displayName", displayName),
        InputBounds.email("email", email),
        InputBounds.pictureUrl("pictureUrl", pictureUrl));
  }

  @CommandHandler
  public void handle(DeleteUserCommand command) {
    Aggregate<Tailnet> tailnet = Tailnet.open(tailnets);
    tailnet.execute(t -> t.releaseUser(command, command.userId()));
    users.load(AggregateIds.user(command.userId())).execute(User::delete);
  }
}
