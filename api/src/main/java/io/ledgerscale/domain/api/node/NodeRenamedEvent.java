// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import org.axonframework.serialization.Revision;

/** A node's given name changed. */
@Revision("1")
public record NodeRenamedEvent(long nodeId, String oldName, String newName) {}
