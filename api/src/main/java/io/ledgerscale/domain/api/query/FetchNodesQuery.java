// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * Lists nodes, optionally of one user (TaggedDevices.USER_ID for tagged nodes). Answers List of
 * {@link NodeView}.
 */
public record FetchNodesQuery(Long userId) {}
