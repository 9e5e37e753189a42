// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.registration;

import java.time.Instant;
import java.util.List;

/** A client asks to join interactively. Answers with the auth id (lskey-authreq-...). */
public record RequestRegistrationCommand(
    String machineKey,
    String nodeKey,
    String hostname,
    List<String> requestedTags,
    Instant requestedExpiry) {}
