// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/**
 * The tailnet allocated a node id and reserved its machine key, given name and addresses. userId is
 * null for a tagged node.
 */
@Revision("1")
public record NodeReservedEvent(
    long nodeId, String machineKey, String givenName, Long userId, String ipv4, String ipv6) {}
