// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;

/** An interactive registration: status PENDING, APPROVED, REJECTED or EXPIRED. */
public record PendingRegistrationView(
    String authId,
    String machineKey,
    String nodeKey,
    String hostname,
    List<String> requestedTags,
    Instant requestedAt,
    Instant expiresAt,
    String status,
    Long nodeId,
    Long userId,
    String reason) {}
