// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

/**
 * Replaces a user's profile (display name, e-mail, picture) with what the identity provider says at
 * login, as Headscale syncs OIDC claims on every login. Nothing is recorded when the profile is
 * unchanged.
 */
public record UpdateUserProfileCommand(
    long userId, String displayName, String email, String pictureUrl) {}
