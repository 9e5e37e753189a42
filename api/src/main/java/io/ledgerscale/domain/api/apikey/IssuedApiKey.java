// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import java.time.Instant;

/** The answer to {@link CreateApiKeyCommand}: the full key, shown once. */
public record IssuedApiKey(long id, String key, Instant expiration) {}
