// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/** Moves a node to another user, with a reason. A tagged node loses its tags. */
public record TransferNodeCommand(long nodeId, long toUserId, String reason) {}
