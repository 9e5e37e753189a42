// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The line diff from one policy version to another. Answers a {@link PolicyDiffView}, or null when
 * either is unknown.
 */
public record FetchPolicyDiffQuery(long fromVersion, long toVersion) {}
