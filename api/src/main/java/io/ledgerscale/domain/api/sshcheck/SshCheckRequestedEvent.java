// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.sshcheck;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An SSH check waits for {@code userId} (the source node's owner) until {@code expiresAt}. */
@Revision("1")
public record SshCheckRequestedEvent(
    String checkId,
    long srcNodeId,
    long dstNodeId,
    long userId,
    String sshUser,
    String localUser,
    Instant expiresAt) {}
