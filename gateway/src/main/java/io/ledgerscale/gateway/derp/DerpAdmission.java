// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import java.util.concurrent.CompletableFuture;

/**
 * Who may use the relay (Headscale's {@code derp.server.verify_clients}). Asked once per connection
 * after the client has proven its key (the ClientInfo box opened), and again for every connected
 * key from time to time, so a node deleted or expired meanwhile is cut off.
 */
@FunctionalInterface
public interface DerpAdmission {
  enum Verdict {
    ALLOW,
    DENY,
    /** The server cannot tell now: a new connection is refused, a connected one kept. */
    UNDECIDED
  }

  /** {@code nodeKey} is spelled {@code nodekey:<hex>}. */
  CompletableFuture<Verdict> check(String nodeKey);

  /** verify_clients off: any client that proves its key may relay. */
  static DerpAdmission anyone() {
    return nodeKey -> CompletableFuture.completedFuture(Verdict.ALLOW);
  }
}
