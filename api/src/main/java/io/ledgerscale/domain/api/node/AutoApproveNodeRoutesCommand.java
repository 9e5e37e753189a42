// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/**
 * Approves the node's advertised routes that the policy's autoApprovers allow and that are not
 * approved yet. Sent by the server (actor SYSTEM) when routes are advertised, a node's tags or
 * owner change, or the policy changes.
 */
public record AutoApproveNodeRoutesCommand(long nodeId) {}
