// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where map content comes from (the node-map read model). The gateway owns the wire (framing, compression,
 * keep-alives, stream replacement); the read model owns what a node may see.
 */
public interface NetworkMapSource {

  /**
   * The complete first message of a new map session for {@code request.NodeKey()}: self Node, DERPMap, peers, user
   * profiles, packet filter, DNS. Empty if that node key is unknown or does not belong to {@code machineKey}.
   */
  CompletableFuture<Optional<MapResponse>> fullMap(String machineKey, MapRequest request);
}
