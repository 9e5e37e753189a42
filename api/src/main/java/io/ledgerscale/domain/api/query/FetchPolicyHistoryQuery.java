// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

import java.time.Instant;

/**
 * Policy versions set between two instants (either may be null: open-ended), oldest first. Answers
 * a list of {@link PolicyVersionView}.
 */
public record FetchPolicyHistoryQuery(Instant from, Instant to) {}
