// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** The policy in force. Answers a {@link PolicyView}, or null when none was ever set. */
public record FetchPolicyQuery() {}
