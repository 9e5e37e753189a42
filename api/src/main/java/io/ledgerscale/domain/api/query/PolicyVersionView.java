// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/** One accepted policy version and who set it. */
public record PolicyVersionView(
    long version,
    Instant changedAt,
    String actorType,
    String actorId,
    String actorName,
    String origin,
    String sha256,
    String previousSha256) {}
