// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.user;

import io.ledgerscale.domain.api.AggregateIds;
import io.ledgerscale.domain.api.user.UserCreatedEvent;
import io.ledgerscale.domain.api.user.UserProfileUpdatedEvent;
import io.ledgerscale.domain.policy.topology.TailnetUser;
import io.ledgerscale.domain.policy.topology.UserNaming;
import io.ledgerscale.domain.tailnet.Tailnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Aggregate;

/**
 * Every user as the policy sees them, for the commands that ask whether a policy token names a user
 * (tag ownership, route auto-approval): a token names a user only when no other user could be meant
 * (UserTokens), so the answer depends on everyone. Names come from the Tailnet aggregate; e-mail
 * addresses from each user's own events, read without loading (and so without locking) the user
 * aggregates, and only when the acting user is a candidate for a token at all.
 */
public final class PolicyUserDirectory {
  private final EventStore events;

  public PolicyUserDirectory(EventStore events) {
    this.events = events;
  }

  /** The rule over the tailnet's users; {@code self} (already loaded) is used as it is. */
  public UserNaming naming(Aggregate<Tailnet> tailnet, TailnetUser self) {
    Map<Long, String> names = tailnet.invoke(Tailnet::userNames);
    AtomicReference<List<TailnetUser>> loaded = new AtomicReference<>();
    return UserNaming.over(
        () -> {
          if (loaded.get() == null) {
            List<TailnetUser> all = new ArrayList<>();
            names.forEach(
                (id, name) ->
                    all.add(
                        self != null && self.id() == id
                            ? self
                            : new TailnetUser(id, name, emailOf(id))));
            loaded.set(all);
          }
          return loaded.get();
        });
  }

  private String emailOf(long userId) {
    String email = null;
    DomainEventStream stream = events.readEvents(AggregateIds.user(userId));
    while (stream.hasNext()) {
      DomainEventMessage<?> m = stream.next();
      Object p = m.getPayload();
      if (p instanceof UserCreatedEvent e) {
        email = e.email();
      } else if (p instanceof UserProfileUpdatedEvent e) {
        email = e.email();
      } else if (p instanceof User snapshot) {
        email = snapshot.email();
      }
    }
    return email;
  }
}
