// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An API key was expired. */
@Revision("1")
public record ApiKeyExpiredEvent(long apiKeyId, String prefix, Instant expiredAt) {}
