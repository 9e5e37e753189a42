// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;
import java.util.List;

/**
 * Registers a node with a pre-auth key (the full key text the client presented). Answers with a
 * {@link NodeRegistration}.
 */
public record RegisterNodeWithPreAuthKeyCommand(
    String machineKey,
    String nodeKey,
    String hostname,
    List<String> requestedTags,
    String preAuthKey,
    Instant requestedExpiry) {}
