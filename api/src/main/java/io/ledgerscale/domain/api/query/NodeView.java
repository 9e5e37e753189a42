// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;

/** A node as the admin API shows it; a tagged node has userId TaggedDevices.USER_ID. */
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
    List<String> availableRoutes) {}
