// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet dropped a deleted API key's prefix from its index. */
@Revision("1")
public record ApiKeyReleasedEvent(long apiKeyId, String prefix) {}
