// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An API key was used (coarse: at most once a minute per key). */
@Revision("1")
public record ApiKeyUsedEvent(long apiKeyId, Instant usedAt) {}
