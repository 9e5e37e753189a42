// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import org.axonframework.serialization.Revision;

/** An admin approved a pending registration. */
@Revision("1")
public record RegistrationApprovedEvent(String authId, long userId, long nodeId) {}
