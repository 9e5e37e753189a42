// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * Lists users, optionally filtered (Headscale's list filters). Answers List of {@link UserView}.
 */
public record FetchUsersQuery(Long id, String name, String email) {}
