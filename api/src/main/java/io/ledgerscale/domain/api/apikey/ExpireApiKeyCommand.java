// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

/** Expires an API key, named by id or by prefix. */
public record ExpireApiKeyCommand(Long apiKeyId, String prefix) {}
