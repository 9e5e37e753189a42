// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * One interactive registration by auth id, whatever its state. Answers a {@link
 * PendingRegistrationView}, or null.
 */
public record FindPendingRegistrationQuery(String authId) {}
