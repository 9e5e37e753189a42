// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import org.axonframework.serialization.Revision;

/** A pending registration was rejected. */
@Revision("1")
public record RegistrationRejectedEvent(String authId, String reason) {}
