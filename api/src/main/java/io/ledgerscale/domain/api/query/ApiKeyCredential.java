// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/** What is needed to check a presented API key. */
public record ApiKeyCredential(
    long id, String prefix, String secretHash, Instant expiration, boolean deleted) {}
