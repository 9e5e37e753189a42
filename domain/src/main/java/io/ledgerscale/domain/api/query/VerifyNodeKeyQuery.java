// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/**
 * The live node whose current node key is {@code nodeKey} (compared ignoring case), checked against
 * that node's own events: a node deleted, re-keyed or expired by an acknowledged command is
 * answered as such even while the nodes read model trails. Answers a {@link NodeKeyVerdict}.
 */
public record VerifyNodeKeyQuery(String nodeKey) {}
