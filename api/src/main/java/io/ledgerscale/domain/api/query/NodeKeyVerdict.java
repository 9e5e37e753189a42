// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The answer to {@link VerifyNodeKeyQuery}: the node holding the key (its machine key, node key and
 * expiry as its events say; the rest as the read model shows it), or null when no live node holds
 * it. {@code undecided} means the server could not tell in time (the read model is behind the event
 * store): the caller refuses for now with a retry, it never accepts.
 */
public record NodeKeyVerdict(NodeView node, boolean undecided) {
  public static NodeKeyVerdict of(NodeView node) {
    return new NodeKeyVerdict(node, false);
  }

  public static NodeKeyVerdict unknown() {
    return new NodeKeyVerdict(null, false);
  }

  public static NodeKeyVerdict cannotTell() {
    return new NodeKeyVerdict(null, true);
  }
}
