// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** A node joined the tailnet. userId is null for a tagged node (owned by tagged-devices). */
@Revision("1")
public record NodeRegisteredEvent(
    long nodeId,
    String machineKey,
    String nodeKey,
    String hostname,
    String givenName,
    Long userId,
    List<String> tags,
    String ipv4,
    String ipv6,
    RegisterMethod registerMethod,
    Long preAuthKeyId,
    boolean ephemeral,
    Instant expiry) {

  /** {@code userId} read (the stored shape stays: null for tagged). */
  @JsonIgnore
  public Owner owner() {
    return Owner.ofEvent(userId);
  }
}
