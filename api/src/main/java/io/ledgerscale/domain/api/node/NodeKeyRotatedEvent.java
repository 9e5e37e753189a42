// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A node moved from {@code oldNodeKey} to {@code newNodeKey} (authenticated by the pre-auth key
 * {@code preAuthKeyId}); everything else about it stayed. {@code expiry} is its key's new expiry
 * (null: none).
 */
@Revision("1")
public record NodeKeyRotatedEvent(
    long nodeId,
    String machineKey,
    String oldNodeKey,
    String newNodeKey,
    Long preAuthKeyId,
    Instant expiry) {}
