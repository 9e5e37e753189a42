// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

import org.axonframework.serialization.Revision;

/** A user's profile changed (old and new values, so the audit trail can show the difference). */
@Revision("1")
public record UserProfileUpdatedEvent(
    long userId,
    String oldDisplayName,
    String oldEmail,
    String oldPictureUrl,
    String displayName,
    String email,
    String pictureUrl) {}
