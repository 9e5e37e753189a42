// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.VerifyNodeKeyQuery;
import java.util.concurrent.CompletableFuture;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/**
 * Which live node a node key authenticates, as the node's own events say ({@link
 * VerifyNodeKeyQuery}). A map request is let in only on this answer, not on the map's in-memory
 * copy of the read models, which trails them.
 */
@FunctionalInterface
public interface NodeKeyCheck {
  CompletableFuture<NodeKeyVerdict> verify(String nodeKey);

  static NodeKeyCheck through(QueryGateway queries) {
    return nodeKey ->
        queries.query(
            new VerifyNodeKeyQuery(nodeKey), ResponseTypes.instanceOf(NodeKeyVerdict.class));
  }
}
