// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * The ephemeral nodes last seen (or, never seen, created) before {@code cutoff}: the candidates for
 * the ephemeral clean-up, without reading the rest of the tailnet. Answers a list of {@link
 * NodeView}, oldest id first.
 */
public record FetchInactiveEphemeralNodesQuery(Instant cutoff) {}
