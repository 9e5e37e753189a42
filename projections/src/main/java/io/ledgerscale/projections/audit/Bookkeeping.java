// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.projections.audit;

import io.ledgerscale.domain.api.apikey.ApiKeyUsedEvent;
import io.ledgerscale.domain.api.preauthkey.PreAuthKeyUsedEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReleasedEvent;
import io.ledgerscale.domain.api.tailnet.ApiKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.NodeNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeOwnerReassignedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReleasedEvent;
import io.ledgerscale.domain.api.tailnet.NodeReservedEvent;
import io.ledgerscale.domain.api.tailnet.PreAuthKeyReservedEvent;
import io.ledgerscale.domain.api.tailnet.UserNameReassignedEvent;
import io.ledgerscale.domain.api.tailnet.UserReleasedEvent;
import io.ledgerscale.domain.api.tailnet.UserReservedEvent;
import java.util.Set;

/**
 * Events that only restate, for the server's own indexes, a change another event of the same
 * command already records (the tailnet reserving a node's name next to the node's registration, a
 * key's "used" next to the registration it allowed, an API key's last-seen time). They stay in the
 * trail, marked, and the default listing leaves them out.
 */
final class Bookkeeping {
  private Bookkeeping() {}

  private static final Set<Class<?>> TYPES =
      Set.of(
          NodeReservedEvent.class,
          NodeReleasedEvent.class,
          NodeNameReassignedEvent.class,
          NodeOwnerReassignedEvent.class,
          UserReservedEvent.class,
          UserReleasedEvent.class,
          UserNameReassignedEvent.class,
          ApiKeyReservedEvent.class,
          ApiKeyReleasedEvent.class,
          PreAuthKeyReservedEvent.class,
          ApiKeyUsedEvent.class,
          PreAuthKeyUsedEvent.class);

  static boolean is(Object payload) {
    return TYPES.contains(payload.getClass());
  }
}
