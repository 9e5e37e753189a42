// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

/** Creates a user. The name must be unique; the handler answers with the new numeric user id. */
public record CreateUserCommand(
    String name,
    String displayName,
    String email,
    String pictureUrl,
    String provider,
    String providerId) {}
