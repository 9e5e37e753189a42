// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** Lists API keys (never their secrets). Answers List of {@link ApiKeyView}. */
public record FetchApiKeysQuery() {}
