// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

/** An admin rejects a pending registration. */
public record RejectRegistrationCommand(String authId, String reason) {}
