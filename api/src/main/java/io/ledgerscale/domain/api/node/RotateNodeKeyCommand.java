// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;

/**
 * A node moves to a new node key, presenting its current one ({@code oldNodeKey}, the client's
 * OldNodeKey) from the machine it was registered on, and a pre-auth key as fresh authentication:
 * tailscaled only makes a new node key when its user asked to log in again or its key expired, so
 * the rotation is a re-login and needs a credential. The node keeps its id, name, addresses, owner
 * and tags. Answers with a {@link NodeRegistration}.
 */
public record RotateNodeKeyCommand(
    String machineKey,
    String oldNodeKey,
    String newNodeKey,
    String preAuthKey,
    Instant requestedExpiry) {}
