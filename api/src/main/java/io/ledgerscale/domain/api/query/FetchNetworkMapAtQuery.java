// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * The network map node {@code nodeId} was sent at {@code at} (its peers, addresses, packet filter,
 * SSH policy), built by the live map's own code from read models rebuilt from the events recorded
 * up to then. Answers a {@link NetworkMapAtView}, or null when the node did not exist then.
 */
public record FetchNetworkMapAtQuery(long nodeId, Instant at) {}
