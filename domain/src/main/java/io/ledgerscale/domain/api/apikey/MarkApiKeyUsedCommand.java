// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import java.time.Instant;

/** Records that an API key was used. Sent at most once a minute per key so the trail is not flooded. */
public record MarkApiKeyUsedCommand(long apiKeyId, Instant usedAt) {}
