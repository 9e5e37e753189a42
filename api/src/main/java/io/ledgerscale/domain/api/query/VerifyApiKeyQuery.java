// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The API key named by {@code prefix} as its own events say it is now, for deciding whether a
 * request may go on. Answers an {@link ApiKeyVerdict}: unlike {@link FindApiKeyCredentialQuery} the
 * answer never trails a deletion or an expiry that was acknowledged, and says so when it cannot be
 * given.
 */
public record VerifyApiKeyQuery(String prefix) {}
