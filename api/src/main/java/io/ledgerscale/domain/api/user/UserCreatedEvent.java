// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

import org.axonframework.serialization.Revision;

/** A user was created. */
@Revision("1")
public record UserCreatedEvent(
    long userId,
    String name,
    String displayName,
    String email,
    String pictureUrl,
    String provider,
    String providerId) {}
