// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The most recent SSH check {@code userId} passed, on any device. Answers an {@link SshCheckView}
 * (status APPROVED, {@code decidedAt} set), or null when the user never passed one.
 */
public record FindLastSshAuthenticationQuery(long userId) {}
