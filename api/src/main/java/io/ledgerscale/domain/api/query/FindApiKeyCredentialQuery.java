// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The stored hash of an API key by prefix, for authenticating a request. Answers an {@link
 * ApiKeyCredential}, or null.
 */
public record FindApiKeyCredentialQuery(String prefix) {}
