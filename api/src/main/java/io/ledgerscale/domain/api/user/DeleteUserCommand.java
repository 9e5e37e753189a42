// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.user;

/** Deletes a user. Refused while the user still owns nodes. */
public record DeleteUserCommand(long userId) {}
