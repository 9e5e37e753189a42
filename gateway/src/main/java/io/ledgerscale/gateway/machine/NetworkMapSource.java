// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.machine;

import io.ledgerscale.gateway.tailcfg.MapRequest;
import io.ledgerscale.gateway.tailcfg.MapResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where map content comes from (the node-map read model). The gateway owns the wire (framing,
 * compression, keep-alives, stream replacement); the read model owns what a node may see.
 */
public interface NetworkMapSource {

  /**
   * The complete first message of a new map session for {@code request.NodeKey()}: self Node,
   * DERPMap, peers, user profiles, packet filter, DNS. Empty if that node key is unknown or does
   * not belong to {@code machineKey}.
   *
   * <p>A client asks for its map a few milliseconds after its registration committed, before an
   * eventually consistent read model has the node (seen with a real client: ~1 s of 404s). An
   * implementation on such a model should wait briefly for a node it does not know yet rather than
   * answer empty at once.
   */
  CompletableFuture<Optional<MapResponse>> fullMap(String machineKey, MapRequest request);

  /**
   * The first message of a map stream, as {@link #fullMap}; from the moment it is built, every
   * change the node should see goes to {@code stream} as a delta (which the stream holds until the
   * first message has gone out), until the stream ends ({@link MapStreams.Listener#closed}). Empty
   * as {@link #fullMap}, and then nothing is ever sent to {@code stream}.
   */
  default CompletableFuture<Optional<MapResponse>> openStream(
      String machineKey, MapRequest request, MapSink stream) {
    return fullMap(machineKey, request);
  }

  /**
   * A "lite update" (Stream false, OmitPeers true): the client reports new endpoints, Hostinfo or
   * disco key, and wants no map back. Completes with false if the node key is unknown or not {@code
   * machineKey}'s. Implementations record the update (never replacing a known disco key with the
   * zero key) and tell the node's peers.
   */
  default CompletableFuture<Boolean> liteUpdate(String machineKey, MapRequest request) {
    return fullMap(machineKey, request).thenApply(Optional::isPresent);
  }
}
