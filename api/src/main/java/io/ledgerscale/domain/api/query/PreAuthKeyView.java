// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;
import java.util.List;

/** A pre-auth key, without its secret. */
public record PreAuthKeyView(
    long id,
    String prefix,
    Long userId,
    String userName,
    boolean reusable,
    boolean ephemeral,
    boolean used,
    Instant expiration,
    Instant createdAt,
    List<String> aclTags,
    boolean deleted) {}
