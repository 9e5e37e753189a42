// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ledgerscale.domain.api.node.Owner;
import java.time.Instant;
import java.util.List;

/**
 * A node as the admin API shows it: {@code userId} and {@code userName} are Headscale's (a tagged
 * node shows TaggedDevices.USER_ID); code deciding on ownership asks {@link #owner()}.
 */
public record NodeView(
    long id,
    String machineKey,
    String nodeKey,
    String discoKey,
    List<String> ipAddresses,
    String hostname,
    String givenName,
    long userId,
    String userName,
    List<String> tags,
    Instant lastSeen,
    Instant expiry,
    Long preAuthKeyId,
    Instant createdAt,
    String registerMethod,
    boolean online,
    boolean ephemeral,
    List<String> approvedRoutes,
    List<String> availableRoutes) {

  @JsonIgnore
  public Owner owner() {
    return Owner.ofShownId(userId);
  }
}
