// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * A node's approved routes changed. {@code reason} is null for an operator's approval and {@code
 * "autoApprovers"} when the policy approved them (revision 1 events have no reason and read back as
 * an operator's approval).
 */
@Revision("2")
public record NodeRoutesApprovedEvent(
    long nodeId, List<String> oldRoutes, List<String> newRoutes, String reason) {
  /** What the policy's autoApprovers approve is recorded with this reason. */
  public static final String AUTO_APPROVERS = "autoApprovers";

  /** An operator's approval. */
  public NodeRoutesApprovedEvent(long nodeId, List<String> oldRoutes, List<String> newRoutes) {
    this(nodeId, oldRoutes, newRoutes, null);
  }
}
