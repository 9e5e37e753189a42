// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet's node-to-owner index changed; null means tagged-devices. */
@Revision("1")
public record NodeOwnerReassignedEvent(long nodeId, Long oldUserId, Long newUserId) {}
