// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The live node whose current node key is {@code nodeKey} (compared ignoring case), checked against
 * that node's own events: a node deleted, re-keyed or expired by an acknowledged command is
 * answered as such even while the nodes read model trails. Answers a {@link NodeKeyVerdict}.
 *
 * <p>{@code unknownNeedsProof}: whether "no such node" may only be answered once the read model has
 * caught up (else "cannot tell"). A caller for whom "unknown" is the stricter answer — register,
 * where an unknown key must authenticate afresh — passes false and is not held up by a read model
 * that trails during a burst of registrations.
 */
public record VerifyNodeKeyQuery(String nodeKey, boolean unknownNeedsProof) {
  /** The strict form: "unknown" only with proof. */
  public VerifyNodeKeyQuery(String nodeKey) {
    this(nodeKey, true);
  }
}
