// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ledgerscale.domain.api.node.Owner;
import org.axonframework.serialization.Revision;

/** The tailnet's node-to-owner index changed; null means tagged-devices. */
@Revision("1")
public record NodeOwnerReassignedEvent(long nodeId, Long oldUserId, Long newUserId) {

  @JsonIgnore
  public Owner oldOwner() {
    return Owner.ofEvent(oldUserId);
  }

  @JsonIgnore
  public Owner newOwner() {
    return Owner.ofEvent(newUserId);
  }
}
