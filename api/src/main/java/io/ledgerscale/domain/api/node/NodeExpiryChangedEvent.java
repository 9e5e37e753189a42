// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A node's key expiry changed; newExpiry null means it never expires. */
@Revision("1")
public record NodeExpiryChangedEvent(long nodeId, Instant oldExpiry, Instant newExpiry) {}
