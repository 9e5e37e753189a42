// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import org.axonframework.serialization.Revision;

/** A pending registration timed out. */
@Revision("1")
public record RegistrationExpiredEvent(String authId) {}
