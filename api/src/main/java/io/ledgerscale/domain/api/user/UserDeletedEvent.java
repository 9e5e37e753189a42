// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

import org.axonframework.serialization.Revision;

/** A user was deleted. */
@Revision("1")
public record UserDeletedEvent(long userId, String name) {}
