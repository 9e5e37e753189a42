// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet released a user's old name and reserved the new one. */
@Revision("1")
public record UserNameReassignedEvent(long userId, String oldName, String newName) {}
