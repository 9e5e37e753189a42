// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

/**
 * The OIDC login page turns away someone the allow-lists (allowed_domains, allowed_groups,
 * allowed_users) do not admit. It is always refused: the refusal is recorded on the registration,
 * which stays pending.
 */
public record RefuseOidcLoginCommand(
    String authId, String providerId, String email, String reason) {}
