// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * The nodes as they were at {@code at}, rebuilt from the events recorded up to then by the same
 * projection that serves the live list. Answers a list of {@link NodeView} (offline: what clients
 * report is not recorded as events).
 */
public record FetchNodesAtQuery(Instant at) {}
