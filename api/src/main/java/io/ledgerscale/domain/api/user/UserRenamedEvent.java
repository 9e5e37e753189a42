// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

import org.axonframework.serialization.Revision;

/** A user was renamed. */
@Revision("1")
public record UserRenamedEvent(long userId, String oldName, String newName) {}
