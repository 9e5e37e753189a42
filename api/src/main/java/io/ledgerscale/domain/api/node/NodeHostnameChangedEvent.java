// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import org.axonframework.serialization.Revision;

/**
 * A node's client reported another OS hostname. {@code oldHostname} is null for a node whose
 * previous hostname was not recorded on its stream (only its registration's).
 */
@Revision("1")
public record NodeHostnameChangedEvent(long nodeId, String oldHostname, String newHostname) {}
