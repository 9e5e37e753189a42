// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/** An API key, without its secret. */
public record ApiKeyView(
    long id, String prefix, Instant expiration, Instant createdAt, Instant lastSeen) {}
