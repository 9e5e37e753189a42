// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet released a node's old given name and reserved the new one. */
@Revision("1")
public record NodeNameReassignedEvent(long nodeId, String oldName, String newName) {}
