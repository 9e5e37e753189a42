// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** The answer to a successful registration; {@code userId} is null for a tagged node. */
public record NodeRegistration(
    long nodeId, Long userId, List<String> tags, String ipv4, String ipv6, String givenName) {

  @JsonIgnore
  public Owner owner() {
    return Owner.ofEvent(userId);
  }
}
