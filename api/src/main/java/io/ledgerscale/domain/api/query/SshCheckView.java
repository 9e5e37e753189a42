// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * An SSH check: status PENDING, APPROVED or REJECTED (a pending one past {@code expiresAt} is
 * expired).
 */
public record SshCheckView(
    String checkId,
    long srcNodeId,
    long dstNodeId,
    long userId,
    String sshUser,
    String localUser,
    Instant requestedAt,
    Instant expiresAt,
    String status,
    Instant decidedAt,
    String reason) {}
