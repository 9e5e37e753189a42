// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** An interactive registration is waiting for an admin. */
@Revision("1")
public record RegistrationRequestedEvent(
    String authId,
    String machineKey,
    String nodeKey,
    String hostname,
    List<String> requestedTags,
    Instant requestedExpiry,
    Instant expiresAt) {}
