// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

/** The scheduler ends a pending registration that timed out. */
public record ExpireRegistrationCommand(String authId) {}
