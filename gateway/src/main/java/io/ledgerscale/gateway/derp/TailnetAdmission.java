// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.derp;

import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.gateway.machine.NodeKeyCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * verify_clients on: the node key must be the current key of a live, unexpired node of this
 * tailnet, as the node's own events say (the check map requests pass). Fails closed: an error or a
 * late answer is {@link Verdict#UNDECIDED}, never an admission.
 */
public final class TailnetAdmission implements DerpAdmission {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final NodeKeyCheck nodeKeys;
  private final Clock clock;

  public TailnetAdmission(NodeKeyCheck nodeKeys, Clock clock) {
    this.nodeKeys = nodeKeys;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Verdict> check(String nodeKey) {
    CompletableFuture<NodeKeyVerdict> asked;
    try {
      asked = nodeKeys.verify(nodeKey);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Verdict.UNDECIDED);
    }
    return asked
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((v, err) -> err != null || v == null ? Verdict.UNDECIDED : judge(v));
  }

  private Verdict judge(NodeKeyVerdict v) {
    if (v.undecided()) {
      return Verdict.UNDECIDED;
    }
    if (v.node() == null) {
      return Verdict.DENY;
    }
    boolean expired = v.node().expiry() != null && !v.node().expiry().isAfter(clock.instant());
    return expired ? Verdict.DENY : Verdict.ALLOW;
  }
}
