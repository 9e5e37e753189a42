// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.approval;

import java.time.Instant;

/**
 * Ids of requests still pending whose expiry is at or before {@code now}, oldest first, at most
 * {@code limit}. Answers a list of String.
 */
public record FetchDueApprovalRequestsQuery(Instant now, int limit) {}
