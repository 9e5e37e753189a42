// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.query;

/** One node by id. Answers a {@link NodeView}, or null. */
public record FindNodeQuery(long nodeId) {}
