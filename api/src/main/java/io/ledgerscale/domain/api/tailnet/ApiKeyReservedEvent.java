// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet allocated an API key id and indexed its prefix. */
@Revision("1")
public record ApiKeyReservedEvent(long apiKeyId, String prefix) {}
