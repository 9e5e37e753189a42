// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/** A user as the admin API shows it. */
public record UserView(
    long id,
    String name,
    String displayName,
    String email,
    String pictureUrl,
    String provider,
    String providerId,
    Instant createdAt) {}
