// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import java.time.Instant;

/** Creates an API key. The handler answers with an {@link IssuedApiKey}. */
public record CreateApiKeyCommand(Instant expiration) {}
