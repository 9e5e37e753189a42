// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/** Deletes a node and frees its name and addresses. */
public record DeleteNodeCommand(long nodeId) {}
