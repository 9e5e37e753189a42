// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** Lists pre-auth keys (never their secrets). Answers List of {@link PreAuthKeyView}. */
public record FetchPreAuthKeysQuery(Long userId) {}
