// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.enrollment;

import java.time.Instant;
import java.util.List;

/**
 * A node's register request, as the gateway read it off the wire: the machine key (proven by the
 * Noise handshake), the node key it wants to use, the previous one when the client made a new key
 * ({@code oldNodeKey}, null when it sent none), and a pre-auth key when it has one (null: an
 * interactive login). The domain decides what it is: a new registration, a re-authentication of a
 * known machine, a key rotation, a known node answered as it is, a login still to be made, or a
 * refusal. Answers an {@link EnrollmentAnswer}.
 */
public record EnrollNodeCommand(
    String machineKey,
    String nodeKey,
    String oldNodeKey,
    String hostname,
    List<String> requestedTags,
    String preAuthKey,
    Instant requestedExpiry) {}
