// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * What changed between {@code from} (exclusive) and {@code to} (inclusive) in nodes, users, keys,
 * tags, routes and policy, and who changed it. Answers an {@link AuditDiffView}.
 */
public record FetchAuditDiffQuery(Instant from, Instant to) {}
