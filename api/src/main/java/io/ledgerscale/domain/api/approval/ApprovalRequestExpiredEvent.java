// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * Nobody decided the request within its lifetime; the held change never ran and no decision is
 * taken any more. Recorded by the server's expiry sweep, or by the first decision that arrives too
 * late, whichever comes first.
 */
@Revision("1")
public record ApprovalRequestExpiredEvent(String requestId, Instant expiresAt) {}
