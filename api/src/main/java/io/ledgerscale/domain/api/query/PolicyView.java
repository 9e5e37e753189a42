// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/** The policy document as last set, verbatim. */
public record PolicyView(long version, String policy, Instant updatedAt) {}
