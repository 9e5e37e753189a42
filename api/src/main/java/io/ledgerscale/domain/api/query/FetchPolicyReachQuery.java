// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * What a node could reach at an instant, and under which policy version: rebuilt from the events
 * recorded up to that instant and compiled by the live policy engine. Answers a {@link
 * PolicyReachView}, or null when the node did not exist then.
 */
public record FetchPolicyReachQuery(long nodeId, Instant at) {}
