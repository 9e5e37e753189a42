// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.axonframework.serialization.Revision;

/** A node changed owner. */
@Revision("1")
public record NodeOwnershipTransferredEvent(
    long nodeId, Long fromUserId, long toUserId, List<String> removedTags, String reason) {

  /** A transfer always goes to a user. */
  @JsonIgnore
  public Owner to() {
    return Owner.user(toUserId);
  }
}
