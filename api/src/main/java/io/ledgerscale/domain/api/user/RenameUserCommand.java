// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

/** Renames a user; the new name must be unique. */
public record RenameUserCommand(long userId, String newName) {}
