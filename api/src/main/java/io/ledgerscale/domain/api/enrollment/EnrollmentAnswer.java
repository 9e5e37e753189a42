// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.enrollment;

import io.ledgerscale.domain.api.node.NodeRegistration;

/** What the domain decided about a node's register request, for the gateway to put on the wire. */
public sealed interface EnrollmentAnswer {

  /** The node is in: registered, re-authenticated or moved to its new key. */
  record Enrolled(NodeRegistration registration) implements EnrollmentAnswer {}

  /**
   * The key is this machine's node's key, answered as the node is now; {@code expired} tells the
   * client to make a new key and log in with it. {@code userId} and {@code userName} name the owner
   * as clients see it (tagged-devices for a tagged node).
   */
  record KnownNode(long nodeId, long userId, String userName, boolean expired)
      implements EnrollmentAnswer {}

  /** No node of this machine holds the key and no credential came with it: the user logs in. */
  record LoginRequired() implements EnrollmentAnswer {}

  /**
   * A logout: the node holding the key (null {@code userId}: none did, nothing changed) is logged
   * out.
   */
  record LoggedOut(Long userId, String userName) implements EnrollmentAnswer {}
}
