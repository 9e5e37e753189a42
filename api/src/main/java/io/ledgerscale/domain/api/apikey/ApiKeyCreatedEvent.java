// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An API key was created; only the hash of its secret is kept. */
@Revision("1")
public record ApiKeyCreatedEvent(
    long apiKeyId, String prefix, String secretHash, Instant expiration) {}
