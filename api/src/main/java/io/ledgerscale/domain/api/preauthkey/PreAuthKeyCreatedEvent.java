// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.preauthkey;

import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** A pre-auth key was created. Only the hash of its secret is kept. */
@Revision("1")
public record PreAuthKeyCreatedEvent(
    long keyId,
    String prefix,
    String secretHash,
    Long userId,
    boolean reusable,
    boolean ephemeral,
    Instant expiration,
    List<String> aclTags) {}
