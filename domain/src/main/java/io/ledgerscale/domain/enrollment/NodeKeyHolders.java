// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.enrollment;

import java.util.Optional;

/**
 * Which node holds a node key: a lookup the domain cannot make from its aggregates (the tailnet
 * indexes machines, not node keys), so the server answers it from the nodes read model, each answer
 * checked against the node's own events. The enrollment decisions load the node it names and decide
 * on that aggregate, never on the lookup alone. Resolved as a handler parameter (a Spring bean in
 * the server, a configuration component in the in-JVM tests).
 */
public interface NodeKeyHolders {

  /**
   * The live node whose current key is {@code nodeKey}, or empty.
   *
   * @param unknownNeedsProof whether "none" may only be answered once the read model has caught up
   *     with every event that gives a node a key; false where "none" is the stricter answer
   * @throws io.ledgerscale.domain.api.ServerBusyException when the server cannot tell yet
   */
  Optional<Long> holderOf(String nodeKey, boolean unknownNeedsProof);
}
