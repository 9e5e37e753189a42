// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.api.node;

import java.util.List;

/** Sets a node's approved routes (empty removes all). */
public record ApproveNodeRoutesCommand(long nodeId, List<String> routes) {}
