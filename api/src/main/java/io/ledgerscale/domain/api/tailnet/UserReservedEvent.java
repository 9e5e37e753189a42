// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.tailnet;

import org.axonframework.serialization.Revision;

/** The tailnet allocated a user id and reserved the user's name. */
@Revision("1")
public record UserReservedEvent(long userId, String name) {}
