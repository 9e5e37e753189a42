// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.apikey;

import org.axonframework.serialization.Revision;

/** An API key was deleted. */
@Revision("1")
public record ApiKeyDeletedEvent(long apiKeyId, String prefix) {}
