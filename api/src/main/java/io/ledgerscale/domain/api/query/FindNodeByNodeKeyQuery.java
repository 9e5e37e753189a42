// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The node whose current node key is {@code nodeKey} (compared ignoring case). Answers a {@link
 * NodeView}, or null. The registration path asks this instead of listing every node.
 */
public record FindNodeByNodeKeyQuery(String nodeKey) {}
