// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.credentials;

import io.ledgerscale.domain.api.ServerBusyException;
import io.ledgerscale.domain.api.query.NodeKeyVerdict;
import io.ledgerscale.domain.api.query.VerifyNodeKeyQuery;
import io.ledgerscale.domain.enrollment.NodeKeyHolders;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which node holds a node key, for the enrollment decisions: the nodes read model's suggestion,
 * checked against the node's own events ({@link NodeKeyVerification}). When the server cannot tell
 * yet the request is refused for now, with a retry.
 */
@Component
public class VerifiedNodeKeyHolders implements NodeKeyHolders {
  /** What a client is told to wait when its node key cannot be looked up yet. */
  static final Duration RETRY = Duration.ofSeconds(2);

  private final NodeKeyVerification verification;

  public VerifiedNodeKeyHolders(NodeKeyVerification verification) {
    this.verification = verification;
  }

  @Override
  public Optional<Long> holderOf(String nodeKey, boolean unknownNeedsProof) {
    NodeKeyVerdict verdict =
        verification.handle(new VerifyNodeKeyQuery(nodeKey, unknownNeedsProof));
    if (verdict == null || verdict.undecided()) {
      throw new ServerBusyException("the node table is behind; retry shortly", RETRY);
    }
    return Optional.ofNullable(verdict.node()).map(n -> n.id());
  }
}
