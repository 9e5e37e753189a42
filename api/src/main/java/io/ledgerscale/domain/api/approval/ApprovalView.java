// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import java.time.Instant;

/**
 * A four-eyes request as listed: PENDING, APPROVED, REJECTED, or EXPIRED (pending past its time).
 */
public record ApprovalView(
    String requestId,
    String action,
    String summary,
    String requesterType,
    String requesterId,
    String requesterName,
    Instant requestedAt,
    Instant expiresAt,
    String status,
    String deciderId,
    String deciderName,
    String reason,
    Instant decidedAt) {}
