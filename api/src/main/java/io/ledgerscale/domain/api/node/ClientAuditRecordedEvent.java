// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A node reported an auditable action of its own (e.g. DISCONNECT_NODE with the reason its user
 * gave). {@code clientTime} is the node's own clock, null when it sent none; the event's timestamp
 * is the server's.
 */
@Revision("1")
public record ClientAuditRecordedEvent(
    long nodeId, String nodeKey, String action, String details, Instant clientTime) {}
