// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

/** {@link AutoApproveNodeRoutesCommand} for every node of the tailnet, after the policy changed. */
public record AutoApproveAllNodeRoutesCommand() {}
