// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

/** Deletes an API key, named by id or by prefix. */
public record DeleteApiKeyCommand(Long apiKeyId, String prefix) {}
