// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A known machine registered again for the same owner: its node key (and expiry) changed, no new
 * node was made.
 */
@Revision("1")
public record NodeReauthenticatedEvent(
    long nodeId,
    String machineKey,
    String oldNodeKey,
    String newNodeKey,
    RegisterMethod registerMethod,
    Long preAuthKeyId,
    Instant expiry) {}
