// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.support;

import io.ledgerscale.domain.api.audit.Actor;
import io.ledgerscale.domain.api.audit.ActorType;
import io.ledgerscale.domain.api.audit.AuditMetadata;
import io.ledgerscale.domain.api.audit.Origin;
import io.ledgerscale.domain.api.query.FetchUsersQuery;
import io.ledgerscale.domain.api.query.UserView;
import io.ledgerscale.domain.api.user.CreateUserCommand;
import java.util.List;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/**
 * Sends commands the way the admin API does: with an actor, an origin, a source address and a
 * correlation id.
 */
public final class Commands {
  public static final Actor ADMIN = new Actor(ActorType.USER, "1", "alice-admin");

  private Commands() {}

  public static <R> R send(CommandGateway gateway, Object command, String correlationId) {
    return gateway.sendAndWait(
        GenericCommandMessage.asCommandMessage(command)
            .withMetaData(AuditMetadata.of(ADMIN, Origin.CLI, "192.0.2.44", correlationId)));
  }

  public static long createUser(CommandGateway gateway, String name) {
    Object id =
        send(
            gateway,
            new CreateUserCommand(name, null, name + "@example.com", null, null, null),
            "c-" + name);
    return ((Number) id).longValue();
  }

  public static List<UserView> users(QueryGateway queries) {
    return queries
        .query(
            new FetchUsersQuery(null, null, null),
            ResponseTypes.multipleInstancesOf(UserView.class))
        .join();
  }
}
